package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"reflect"
	"slices"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/pipeline/table"
)

// The Beam pipeline is vocmine's run on a distributed engine:
//
//	input files ─► read + Job.Classify ─┬─► counts ────────────────────────────────────┐
//	                                     ├─► rejects (side output) ─► one writer        │
//	                                     └─► responses keyed by hash(id) mod shards      │
//	   ─► GroupByKey(shard) ─► first occurrence of each id wins (the rest: duplicates'   │
//	      rejects), tag + Shard (row table files in the staging folder) ─► counters ────┤
//	   Combine (Counters.Merge, Verbatims, Miner, counts) ◄────────────────────────────────────┘
//	   ─► the driver: join the shards, Job.Commit (summary tables, manifest, report,
//	      atomic publish, _SUCCESS)
//
// Every step calls vocmine's own functions (pipeline.Job.Classify, Tagger.Tag,
// pipeline.Shard, Counters.Merge, Job.Commit): there is no second
// implementation. Workers share the driver's file system (the staging
// folder, the lexicons): true of prism and of a cluster with a shared mount.

// The DoFns, emitters and iterators are registered with their types, so
// the SDK calls them without reflection.
func init() {
	for _, t := range []any{(*fileEl)(nil), (*respEl)(nil), (*pipeline.Reject)(nil)} {
		beam.RegisterType(reflect.TypeOf(t).Elem())
	}
	register.DoFn5x1[context.Context, fileEl, func(int, respEl), func(pipeline.Reject), func(string), error](&readFn{})
	register.DoFn4x1[int, func(*respEl) bool, func(pipeline.Reject), func(string), error](&tagFn{})
	register.DoFn2x1[int, func(*pipeline.Reject) bool, error](&rejectsFn{})
	register.DoFn1x1[string, error](&saveFn{})
	register.Combiner1[string](&mergeFn{})
	register.Emitter1[string]()
	register.Emitter2[int, respEl]()
	register.Iter1[respEl]()
	register.Iter1[pipeline.Reject]()
	register.Emitter1[pipeline.Reject]()
}

// fileEl is one input file.
type fileEl struct {
	Index int
	Path  string
	Name  string // as the tables name it (pipeline.Job.DisplayPath)
}

// respEl is a response on its way to tagging, with what a duplicate's
// reject needs.
type respEl struct {
	ID        string
	Score     int
	Group     string
	Text      string
	Segments  []string
	File      string
	FileIndex int
	Line      int
	Offset    int64
	Order     int
	Raw       string
}

func (e *respEl) response() pipeline.Response {
	return pipeline.Response{ID: e.ID, Score: e.Score, Group: e.Group, Text: e.Text, Segments: e.Segments, File: e.File, Line: e.Line, Order: int8(e.Order)}
}

// partial is what a step adds to the run's result; partials merge exactly
// (mergeFn), in any order.
type partial struct {
	Files map[int]partition.Counts `json:"files,omitempty"` // by input file index
	// Inputs are the size and digest of each file as it was read.
	Inputs    map[int]source.Info     `json:"inputs,omitempty"`
	Counters  *aggregate.Counters     `json:"counters,omitempty"`
	Verbatims []aggregate.VerbatimRow `json:"verbatims,omitempty"`
	Miner     *aggregate.Miner        `json:"miner,omitempty"`
	Tables    map[string]int64        `json:"tables,omitempty"`
}

func (p *partial) count(file int, f func(*partition.Counts)) {
	if p.Files == nil {
		p.Files = map[int]partition.Counts{}
	}
	c := p.Files[file]
	f(&c)
	p.Files[file] = c
}

func (p *partial) merge(o *partial) {
	for i, in := range o.Inputs {
		if p.Inputs == nil {
			p.Inputs = map[int]source.Info{}
		}
		p.Inputs[i] = in
	}
	for i, c := range o.Files {
		p.count(i, func(t *partition.Counts) { t.Add(c) })
	}
	switch {
	case p.Counters == nil:
		p.Counters = o.Counters
	case o.Counters != nil:
		p.Counters.Merge(o.Counters)
	}
	if len(o.Verbatims) > 0 {
		v := aggregate.NewVerbatims(aggregate.VerbatimsPerKey)
		for _, r := range slices.Concat(p.Verbatims, o.Verbatims) {
			v.Offer(r)
		}
		p.Verbatims = v.All()
	}
	switch {
	case p.Miner == nil:
		p.Miner = o.Miner
	case o.Miner != nil:
		p.Miner.Merge(o.Miner)
	}
	for t, n := range o.Tables {
		if p.Tables == nil {
			p.Tables = map[string]int64{}
		}
		p.Tables[t] += n
	}
}

func encode(p *partial) (string, error) {
	b, err := json.Marshal(p)
	return string(b), err
}

func decode(s string) (*partial, error) {
	var p partial
	if s == "" {
		return &p, nil
	}
	return &p, json.Unmarshal([]byte(s), &p)
}

// worker is a worker process's job, built once per config however many
// DoFn instances the runner makes (gse's dictionary costs ~0.5 s and
// ~100 MB to load: ../shared/GSE.md).
type worker struct {
	once sync.Once
	job  *pipeline.Job
	err  error
}

var workers sync.Map // config JSON -> *worker

func workerJob(cfgJSON, lexVersion string) (*pipeline.Job, error) {
	w, _ := workers.LoadOrStore(cfgJSON, &worker{})
	wk := w.(*worker)
	wk.once.Do(func() {
		var cfg config.Config
		if wk.err = json.Unmarshal([]byte(cfgJSON), &cfg); wk.err != nil {
			return
		}
		lex, err := lexicon.LoadFiles(cfg.BuiltinLexicon, cfg.Lexicons...)
		if err != nil {
			wk.err = fmt.Errorf("%w: %w", pipeline.ErrLexicon, err)
			return
		}
		if v := pipeline.LexiconVersion(&cfg, lex); v != lexVersion {
			wk.err = fmt.Errorf("%w: the worker's lexicons (%s) are not the driver's (%s)", pipeline.ErrLexicon, v, lexVersion)
			return
		}
		tg, err := pipeline.NewTagger(&cfg, lex)
		if err != nil {
			wk.err = err
			return
		}
		wk.job = pipeline.NewWorkerJob(&cfg, tg, lexVersion)
	})
	return wk.job, wk.err
}

// readFn reads one input file and classifies its records: responses go on
// keyed by their shard, hash(id) mod Shards, so that every occurrence of an
// id meets in one shard; rejects and counts go to the result. Files are read
// whole by one worker, so a multi-line quoted CSV record is never cut.
type readFn struct {
	Cfg        string
	LexVersion string
	Shards     int
	job        *pipeline.Job
}

func shardOf(id string, shards int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(shards))
}

// Setup builds (or finds) the worker's job: once per worker process.
func (f *readFn) Setup() (err error) {
	f.job, err = workerJob(f.Cfg, f.LexVersion)
	return err
}

func (f *readFn) ProcessElement(ctx context.Context, el fileEl, emitResp func(int, respEl), emitReject func(pipeline.Reject), emitPartial func(string)) error {
	var counts partition.Counts
	in, err := f.job.Read(ctx, el.Path, el.Name, &counts, func(row pipeline.Row) error {
		if row.Reject != nil {
			emitReject(*row.Reject)
			return nil
		}
		resp, rec := row.Resp, row.Rec
		emitResp(shardOf(resp.ID, f.Shards), respEl{ID: resp.ID, Score: resp.Score, Group: resp.Group, Text: resp.Text, Segments: resp.Segments,
			File: resp.File, FileIndex: el.Index, Line: resp.Line, Offset: rec.Offset, Order: int(resp.Order), Raw: rec.RawText()})
		return nil
	})
	if err != nil {
		return err
	}
	p := &partial{Files: map[int]partition.Counts{el.Index: counts}, Inputs: map[int]source.Info{el.Index: in}}
	s, err := encode(p)
	if err == nil {
		emitPartial(s)
	}
	return err
}

// tagFn deduplicates and tags one shard: the first occurrence of an id, in
// file then byte order, is kept, as vocmine run keeps it, later ones are
// duplicates; the kept responses are tagged and written with pipeline.Shard
// into the staging folder (responses-NNNNN.parquet ...), and the shard's
// counters, verbatims, counts and rejects go to the result. A shard's
// responses are held while it is deduplicated: more shards, smaller ones.
type tagFn struct {
	Cfg        string
	LexVersion string
	Staging    string
	job        *pipeline.Job
}

func (f *tagFn) Setup() (err error) {
	f.job, err = workerJob(f.Cfg, f.LexVersion)
	return err
}

func first(a, b *respEl) bool {
	return cmp.Or(cmp.Compare(a.FileIndex, b.FileIndex), cmp.Compare(a.Offset, b.Offset)) < 0
}

func (f *tagFn) ProcessElement(shard int, iter func(*respEl) bool, emitReject func(pipeline.Reject), emitPartial func(string)) error {
	j := f.job
	p := &partial{}
	kept := map[string]*respEl{}
	var dups []*respEl
	for e := new(respEl); iter(e); e = new(respEl) {
		k := kept[e.ID]
		switch {
		case k == nil:
			kept[e.ID] = e
		case first(e, k):
			kept[e.ID], dups = e, append(dups, k)
		default:
			dups = append(dups, e)
		}
	}
	for _, d := range dups {
		p.count(d.FileIndex, func(c *partition.Counts) { c.Duplicates++ })
		emitReject(j.Duplicate(d.File, int64(d.Line), d.Offset, d.ID, d.Raw))
	}
	s, err := j.NewShard(f.Staging, fmt.Sprintf("-%05d", shard))
	if err != nil {
		return err
	}
	batch := make([]pipeline.Tagged, 0, 4096)
	flush := func() error {
		err := s.Write(batch)
		batch = batch[:0]
		return err
	}
	for _, e := range kept {
		resp := e.response()
		batch = append(batch, pipeline.Tagged{Resp: resp, Res: j.Tagger.Tag(resp.Text)})
		p.count(e.FileIndex, func(c *partition.Counts) { c.Accepted++ })
		if len(batch) == cap(batch) {
			if err := flush(); err != nil {
				s.Close()
				return err
			}
		}
	}
	if err := errors.Join(flush(), s.Close()); err != nil {
		return err
	}
	p.Counters, p.Verbatims, p.Miner, p.Tables = s.Counters, s.Verbatims.All(), s.Miner, s.Rows()
	out, err := encode(p)
	if err == nil {
		emitPartial(out)
	}
	return err
}

// rejectsFn writes the run's rejects, all under one key, into the staging
// folder with pipeline.WriteRejects: rejects.parquet and rejects.csv, in
// input order, as vocmine run writes them. Rejects are few (the error
// budget bounds them), so one worker writes them.
type rejectsFn struct {
	Staging     string
	Compression string
	LexVersion  string
	Files       []string // input files as the tables name them, in order
}

func (f *rejectsFn) ProcessElement(_ int, iter func(*pipeline.Reject) bool) error {
	var all []pipeline.Reject
	for r := new(pipeline.Reject); iter(r); r = new(pipeline.Reject) {
		all = append(all, *r)
	}
	_, err := pipeline.WriteRejects(f.Staging, f.Compression, f.LexVersion, f.Files, all)
	return err
}

// mergeFn is the CombineFn of the run's result: partials merged exactly
// (Counters.Merge, Verbatims, Miner.Merge, counts added), in any order.
type mergeFn struct{}

func (*mergeFn) CreateAccumulator() string { return "" }

func (f *mergeFn) AddInput(acc, in string) (string, error) { return f.MergeAccumulators(acc, in) }

func (*mergeFn) MergeAccumulators(a, b string) (string, error) {
	pa, err := decode(a)
	if err != nil {
		return "", err
	}
	pb, err := decode(b)
	if err != nil {
		return "", err
	}
	pa.merge(pb)
	return encode(pa)
}

func (*mergeFn) ExtractOutput(acc string) string { return acc }

// saveFn hands the merged result to the driver through a file.
type saveFn struct{ Path string }

func (f *saveFn) ProcessElement(result string) error {
	return os.WriteFile(f.Path, []byte(result), 0o644)
}

// build constructs the pipeline of job j: its result lands in resultPath.
func build(j *pipeline.Job, shards int, resultPath string) (*beam.Pipeline, error) {
	cfgJSON, err := json.Marshal(j.Cfg)
	if err != nil {
		return nil, err
	}
	c := string(cfgJSON)
	p, s := beam.NewPipelineWithRoot()
	var files []fileEl
	for i, f := range j.Files {
		files = append(files, fileEl{Index: i, Path: f, Name: j.DisplayPath(f)})
	}
	byShard, readRejects, readParts := beam.ParDo3(s, &readFn{Cfg: c, LexVersion: j.LexVersion, Shards: shards}, beam.CreateList(s, files))
	dupRejects, tagParts := beam.ParDo2(s, &tagFn{Cfg: c, LexVersion: j.LexVersion, Staging: j.Staging}, beam.GroupByKey(s, byShard))
	rejects := beam.AddFixedKey(s, beam.Flatten(s, readRejects, dupRejects))
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	beam.ParDo0(s, &rejectsFn{Staging: j.Staging, Compression: j.Cfg.Output.Compression, LexVersion: j.LexVersion, Files: names}, beam.GroupByKey(s, rejects))
	result := beam.Combine(s, &mergeFn{}, beam.Flatten(s, readParts, tagParts))
	beam.ParDo0(s, &saveFn{Path: resultPath}, result)
	return p, nil
}

// Run runs a job on Beam with execute (prism.Execute, beamx.Run) and
// publishes its partition exactly as vocmine run does.
func Run(ctx context.Context, cfg *config.Config, opt pipeline.Options, shards int, execute func(context.Context, *beam.Pipeline) error) (*partition.Manifest, error) {
	j, err := pipeline.Begin(cfg, opt)
	if err != nil {
		return nil, err
	}
	defer j.End()
	resultPath := j.Staging + ".beam.json" // beside the staging folder, never published
	defer os.Remove(resultPath)
	p, err := build(j, shards, resultPath)
	if err != nil {
		return nil, err
	}
	if err := execute(ctx, p); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(resultPath)
	if err != nil {
		return nil, fmt.Errorf("the pipeline left no result: %w", err)
	}
	part, err := decode(string(data))
	if err != nil {
		return nil, err
	}
	res := pipeline.Result{Counters: j.NewCounters(), Verbatims: aggregate.NewVerbatims(aggregate.VerbatimsPerKey)}
	if part.Counters != nil {
		res.Counters.Merge(part.Counters)
	}
	for _, v := range part.Verbatims {
		res.Verbatims.Offer(v)
	}
	if res.Miner = part.Miner; res.Miner == nil { // no accepted response
		if res.Miner, err = aggregate.NewMiner(j.Tagger); err != nil {
			return nil, err
		}
	}
	var names []string
	for i, f := range j.Files {
		names = append(names, j.DisplayPath(f))
		in := part.Inputs[i]
		res.Inputs = append(res.Inputs, partition.FileCounts{Path: names[i], Bytes: in.Bytes, SHA256: in.SHA256, Empty: in.Empty, Counts: part.Files[i]})
	}
	if len(part.Tables) == 0 { // no accepted response: empty row tables, as Run writes them
		s, err := j.NewShard(j.Staging, "-empty")
		if err != nil {
			return nil, err
		}
		s.Close()
	}
	if res.Tables, err = table.Join(j.Staging, cfg.Output.Compression, pipeline.ShardTables); err != nil {
		return nil, err
	}
	var rejected int64
	for _, c := range part.Files {
		rejected += c.Rejected + c.Duplicates
	}
	res.Tables["rejects.parquet"] = rejected
	if rejected == 0 { // the rejects' side output was empty: empty tables, as vocmine run writes them
		if _, err := pipeline.WriteRejects(j.Staging, cfg.Output.Compression, j.LexVersion, names, nil); err != nil {
			return nil, err
		}
	}
	return j.Commit(ctx, res)
}
