package pipeline

import (
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// responsesSchema: the fixed columns, then one string column per segment.
func responsesSchema(segments []string) *arrow.Schema {
	fields := []arrow.Field{
		{Name: "response_id", Type: arrow.BinaryTypes.String},
		{Name: "score", Type: arrow.PrimitiveTypes.Int32},
		{Name: "group", Type: arrow.BinaryTypes.String},
		{Name: "text", Type: arrow.BinaryTypes.String},
		{Name: "tokens", Type: arrow.ListOf(arrow.BinaryTypes.String)},
		{Name: "n_tags", Type: arrow.PrimitiveTypes.Int32},
		{Name: "sentiment", Type: arrow.BinaryTypes.String},
		{Name: "junk", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "empty", Type: arrow.FixedWidthTypes.Boolean},
		{Name: "source_file", Type: arrow.BinaryTypes.String},
		{Name: "source_line", Type: arrow.PrimitiveTypes.Int64},
	}
	for _, s := range segments {
		fields = append(fields, arrow.Field{Name: s, Type: arrow.BinaryTypes.String})
	}
	return arrow.NewSchema(fields, nil)
}

const responsesFixedColumns = 11

// codesSchema: response_id, group, score, then one int32 code column per
// Dim, top levels followed by their leaves.
func codesSchema(dims []Dim) *arrow.Schema {
	fields := []arrow.Field{
		{Name: "response_id", Type: arrow.BinaryTypes.String},
		{Name: "group", Type: arrow.BinaryTypes.String},
		{Name: "score", Type: arrow.PrimitiveTypes.Int32},
	}
	for _, d := range dims {
		fields = append(fields, arrow.Field{Name: d.Name, Type: arrow.PrimitiveTypes.Int32})
	}
	return arrow.NewSchema(fields, nil)
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
		w.str(0, resp.ID)
		w.i32(1, int32(resp.Score))
		w.str(2, resp.Group)
		w.str(3, resp.Text)
		w.strs(4, res.Tokens)
		w.i32(5, int32(len(res.Tags)))
		w.str(6, res.Sentiment.String())
		w.boolean(7, res.Junk)
		w.boolean(8, res.Empty)
		w.str(9, resp.File)
		w.i64(10, int64(resp.Line))
		for j, v := range resp.Segments {
			w.str(responsesFixedColumns+j, v)
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
		c.str(0, resp.ID)
		c.str(1, resp.Group)
		c.i32(2, int32(resp.Score))
		k := 0
		for d := range r.dims {
			code := codes.Absent
			if k < len(ps) && ps[k].Dim == d {
				code = codes.Code(ps[k].Polarity)
				k++
			}
			c.i32(3+d, int32(code))
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
		for _, t := range batch[i].res.Tags {
			mentions = append(mentions, MentionRow{
				ResponseID: resp.ID, Group: resp.Group, Score: int32(resp.Score),
				Dimension: t.Dimension, Top: t.Top, Polarity: t.Polarity.String(), Code: int32(t.Code), Weight: t.Score,
				Term: t.Term, Cue: t.Cue, Negated: t.Negated, Clause: int32(t.Clause),
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
