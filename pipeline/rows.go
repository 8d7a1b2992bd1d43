package pipeline

import (
	"time"

	"github.com/parquet-go/parquet-go"
)

// responsesColumns: the fixed columns, then one string column per segment.
func responsesColumns(segments []string) []column {
	cols := []column{
		{"response_id", parquet.String()},
		{"score", parquet.Int(32)},
		{"group", parquet.String()},
		{"text", parquet.String()},
		{"tokens", parquet.List(parquet.Encoded(parquet.String(), &parquet.Plain))},
		{"n_tags", parquet.Int(32)},
		{"sentiment", parquet.String()},
		{"junk", parquet.Leaf(parquet.BooleanType)},
		{"empty", parquet.Leaf(parquet.BooleanType)},
		{"source_file", parquet.String()},
		{"source_line", parquet.Int(64)},
		{"lexicon_version", parquet.String()},
	}
	for _, s := range segments {
		cols = append(cols, column{s, parquet.String()})
	}
	return cols
}

// codesColumns: response_id, group, score, lexicon_version, then one int32
// code column per Dim, top levels followed by their leaves.
func codesColumns(dims []Dim) []column {
	cols := []column{{"response_id", parquet.String()}, {"group", parquet.String()}, {"score", parquet.Int(32)}, {"lexicon_version", parquet.String()}}
	for _, d := range dims {
		cols = append(cols, column{d.Name, parquet.Int(32)})
	}
	return cols
}

// sinks are the consumers of tagged batches, each run by its own goroutine
// (one writer per table), so that writing, the slowest stage, spreads over
// the cores. Each may keep state of its own; batches are shared read-only.
func (r *run) sinks() []func([]tagged) error {
	return []func([]tagged) error{r.writeResponses, r.writeCodes, r.writeMentions}
}

// write runs every sink on a batch, in turn: for tests and benchmarks.
func (r *run) write(batch []tagged) error {
	for _, sink := range r.sinks() {
		if err := sink(batch); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) writeResponses(batch []tagged) error {
	w := r.responses
	for i := range batch {
		resp, res := &batch[i].resp, &batch[i].res
		w.str(resp.ID)
		w.i32(int32(resp.Score))
		w.str(resp.Group)
		w.str(resp.Text)
		w.strs(res.Tokens)
		w.i32(int32(len(res.Tags)))
		w.str(res.Sentiment.String())
		w.boolean(res.Junk)
		w.boolean(res.Empty)
		w.str(resp.File)
		w.i64(int64(resp.Line))
		w.str(r.lexVersion)
		for _, v := range resp.Segments {
			w.str(v)
		}
		if err := w.rowDone(); err != nil {
			return err
		}
	}
	return nil
}

// writeCodes writes codes.parquet and adds the batch to the counters, both
// needing each response's dimension polarities.
func (r *run) writeCodes(batch []tagged) error {
	codes := r.tg.Codes()
	ps := r.psBuf[:0]
	defer func() { r.psBuf = ps[:0] }()
	c := r.codes
	for i := range batch {
		resp, res := &batch[i].resp, &batch[i].res
		ps = Polarities(r.dims, r.ofLeaf, res.Tags, ps)
		r.counters.Add(resp, ps)
		c.str(resp.ID)
		c.str(resp.Group)
		c.i32(int32(resp.Score))
		c.str(r.lexVersion)
		k := 0
		for d := range r.dims {
			code := codes.Absent
			if k < len(ps) && ps[k].Dim == d {
				code = codes.Code(ps[k].Polarity)
				k++
			}
			c.i32(int32(code))
		}
		if err := c.rowDone(); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) writeMentions(batch []tagged) error {
	mentions := r.mentionBuf[:0]
	defer func() { r.mentionBuf = mentions[:0] }()
	for i := range batch {
		resp := &batch[i].resp
		r.verbatims.Add(resp, batch[i].res.Tags)
		for _, t := range batch[i].res.Tags {
			mentions = append(mentions, MentionRow{
				ResponseID: resp.ID, Group: resp.Group, Score: int32(resp.Score),
				Dimension: t.Dimension, Top: t.Top, Polarity: t.Polarity.String(), Code: int32(t.Code), Weight: t.Score,
				Term: t.Term, Cue: t.Cue, Negated: t.Negated, Clause: int32(t.Clause), LexiconVersion: r.lexVersion,
			})
		}
	}
	return r.mentions.Write(mentions)
}

// report calls the progress hook at most once a second, and at the end.
func (r *run) report(final bool) {
	if r.progress == nil || (!final && time.Since(r.lastReport) < time.Second) {
		return
	}
	r.lastReport = time.Now()
	r.progress(Progress{Rows: r.rows, Bytes: r.bytesDone, TotalBytes: r.totalBytes, Elapsed: time.Since(r.start)})
}
