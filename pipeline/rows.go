package pipeline

import (
	"errors"
	"path/filepath"
	"time"

	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/table"
	"github.com/vocmine/vocmine/tagger"
)

// Tagged is an accepted response with its tags.
type Tagged struct {
	Resp Response
	Res  tagger.Result
}

// Shard writes the row tables (responses, codes, mentions) of a set of
// tagged responses into a folder and counts them (Counters, Verbatims,
// Miner). A
// run is one shard; an engine running many workers (the Beam pipeline) has
// one per worker bundle, whose counters merge and whose files are joined at
// the commit.
type Shard struct {
	dims       []aggregate.Dim
	ofLeaf     []int
	tg         *tagger.Tagger
	lexVersion string

	responses *table.RowWriter
	codes     *table.RowWriter
	mentions  *table.Writer[table.MentionRow]
	Counters  *aggregate.Counters
	Verbatims *aggregate.Verbatims
	Miner     *aggregate.Miner
	// Buffers the writers reuse from batch to batch.
	mentionBuf []table.MentionRow
	psBuf      []aggregate.DimPolarity
}

// NewCounters returns empty counters for the job: its scale and groups,
// dimensions, segment columns and aggregate.by.
func (j *Job) NewCounters() *aggregate.Counters {
	c := aggregate.NewCounters(j.Cfg.Score, len(j.Dims), len(j.Cfg.Input.Segments))
	if len(j.by) > 0 {
		c.CountBy(j.by)
	}
	return c
}

// NewShard creates responses<suffix>.parquet, codes<suffix>.parquet and
// mentions<suffix>.parquet in dir.
func (j *Job) NewShard(dir, suffix string) (*Shard, error) {
	cfg := j.Cfg
	s := &Shard{dims: j.Dims, ofLeaf: j.OfLeaf, tg: j.Tagger, lexVersion: j.LexVersion,
		Counters: j.NewCounters(), Verbatims: aggregate.NewVerbatims(aggregate.VerbatimsPerKey)}
	var err error
	if s.Miner, err = aggregate.NewMiner(j.Tagger); err != nil {
		return nil, err
	}
	comp := cfg.Output.Compression
	name := func(table string) string { return filepath.Join(dir, table+suffix+".parquet") }
	if s.responses, err = table.NewRowWriter(name("responses"), comp, table.ResponsesColumns(cfg.Input.Segments), "response_id", "text", "source_line"); err != nil {
		return nil, err
	}
	if s.codes, err = table.NewRowWriter(name("codes"), comp, table.CodesColumns(j.Dims), "response_id"); err != nil {
		s.responses.Close()
		return nil, err
	}
	if s.mentions, err = table.NewWriter[table.MentionRow](name("mentions"), comp); err != nil {
		s.responses.Close()
		s.codes.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the shard's files.
func (s *Shard) Close() error {
	return errors.Join(s.responses.Close(), s.codes.Close(), s.mentions.Close())
}

// Rows are the rows written to each table (by its name without suffix).
func (s *Shard) Rows() map[string]int64 {
	return map[string]int64{"responses.parquet": s.responses.Rows(), "codes.parquet": s.codes.Rows(), "mentions.parquet": s.mentions.Rows()}
}

// sinks are the consumers of tagged batches, each run by its own goroutine
// (one writer per table), so that writing, the slowest stage, spreads over
// the cores. Each may keep state of its own; batches are shared read-only.
func (s *Shard) sinks() []func([]Tagged) error {
	return []func([]Tagged) error{s.writeResponses, s.writeCodes, s.writeMentions, s.mine}
}

// mine adds the batch to the miner.
func (s *Shard) mine(batch []Tagged) error {
	for i := range batch {
		s.Miner.Add(batch[i].Resp.Group, &batch[i].Res, batch[i].Resp.Text)
	}
	return nil
}

// Write runs every sink on a batch, in turn.
func (s *Shard) Write(batch []Tagged) error {
	for _, sink := range s.sinks() {
		if err := sink(batch); err != nil {
			return err
		}
	}
	return nil
}

func (s *Shard) writeResponses(batch []Tagged) error {
	w := s.responses
	for i := range batch {
		resp, res := &batch[i].Resp, &batch[i].Res
		w.String(resp.ID)
		w.Int32(int32(resp.Score))
		w.String(resp.Group)
		w.String(resp.Text)
		w.Strings(res.Tokens)
		w.Int32(int32(len(res.Tags)))
		w.String(res.Sentiment.String())
		w.Bool(res.Junk)
		w.Bool(res.Empty)
		w.String(resp.File)
		w.Int64(int64(resp.Line))
		w.String(s.lexVersion)
		for _, v := range resp.Segments {
			w.String(v)
		}
		if err := w.EndRow(); err != nil {
			return err
		}
	}
	return nil
}

// writeCodes writes codes.parquet and adds the batch to the counters, both
// needing each response's dimension polarities.
func (s *Shard) writeCodes(batch []Tagged) error {
	codes := s.tg.Codes()
	ps := s.psBuf[:0]
	defer func() { s.psBuf = ps[:0] }()
	c := s.codes
	for i := range batch {
		resp, res := &batch[i].Resp, &batch[i].Res
		ps = aggregate.Polarities(s.dims, s.ofLeaf, res.Tags, ps)
		s.Counters.Add(resp.Score, resp.Order, resp.Segments, ps)
		c.String(resp.ID)
		c.String(resp.Group)
		c.Int32(int32(resp.Score))
		c.String(s.lexVersion)
		k := 0
		for d := range s.dims {
			code := codes.Absent
			if k < len(ps) && ps[k].Dim == d {
				code = codes.Code(ps[k].Polarity)
				k++
			}
			c.Int32(int32(code))
		}
		if err := c.EndRow(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Shard) writeMentions(batch []Tagged) error {
	mentions := s.mentionBuf[:0]
	defer func() { s.mentionBuf = mentions[:0] }()
	for i := range batch {
		resp := &batch[i].Resp
		s.Verbatims.Add(resp.ID, resp.Group, resp.Text, batch[i].Res.Tags)
		for _, t := range batch[i].Res.Tags {
			mentions = append(mentions, table.MentionRow{
				ResponseID: resp.ID, Group: resp.Group, Score: int32(resp.Score),
				Dimension: t.Dimension, Top: t.Top, Polarity: t.Polarity.String(), Code: int32(t.Code), Weight: t.Score,
				Term: t.Term, Cue: t.Cue, Negated: t.Negated, Clause: int32(t.Clause), LexiconVersion: s.lexVersion,
			})
		}
	}
	return s.mentions.Write(mentions)
}

// report calls the progress hook at most once a second, and at the end.
func (r *run) report(final bool) {
	if r.progress == nil || (!final && time.Since(r.lastReport) < time.Second) {
		return
	}
	r.lastReport = time.Now()
	r.progress(Progress{Rows: r.rows, Bytes: r.bytesDone, TotalBytes: r.totalBytes, Elapsed: time.Since(r.start)})
}
