package pipeline

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/pipeline/table"
	"github.com/vocmine/vocmine/tagger"
)

// Job is one run between Begin and Commit: the config, the lexicons and
// tagger, the input files, the dimensions, and the staging folder of the
// locked partition. The per-record core (Classify, Tagger.Tag, Shard) is
// pure and shared read-only, so that every engine (Run here, the Beam
// pipeline in beam/) reads and tags with the same functions and commits
// with the same Commit.
type Job struct {
	Cfg        *config.Config
	Opt        Options
	Log        *slog.Logger
	Manifest   *partition.Manifest
	Tagger     *tagger.Tagger
	Files      []string // input files, in name order
	Dims       []aggregate.Dim
	OfLeaf     []int
	LexVersion string
	Staging    string
	// Partition is the run's folder, <output.dir>/_runs/run_date=YYYY-MM-DD
	// with output.dir's real path (config.ResolveOutputDir), so that what
	// was checked is what is written; its tables are published beside
	// _runs (partition.Path).
	Partition string
	// Tmp is the run's temporary folder, beside the partition
	// (.tmp-run_date=...-XXXX): spilled duplicate ids live there, not in
	// TMPDIR, so that the next run of the partition removes what a killed
	// run left. End removes it.
	Tmp string
	// Columns are the columns a source reads: id, score, text, the
	// segments, then input.order and the filter columns.
	Columns []string

	filter   filter
	cleaner  *Cleaner
	orderIdx int   // index of input.order in Columns, -1 for none
	by       []int // segment indexes of aggregate.by
	fault    func(string)
	clock    *stopwatch
	work     *partition.Work // the lock, Tmp and Staging
	// idMemCap, if set, replaces defaultIDMemCap: tests make ids spill.
	idMemCap int
}

// Begin loads the lexicons and builds the tagger (unless opt.Tagger), runs
// the lexicons' examples, finds the input files, locks the partition and
// creates its staging folder. End undoes what Commit did not publish.
func Begin(cfg *config.Config, opt Options) (*Job, error) {
	j := &Job{Cfg: cfg, Opt: opt, Log: opt.Log, fault: opt.Fault, clock: newStopwatch(), Manifest: partition.NewManifest(cfg, opt.Version)}
	if j.Log == nil {
		j.Log = slog.New(slog.DiscardHandler)
	}
	if j.fault == nil {
		j.fault = func(string) {}
	}
	m := j.Manifest
	lex, err := lexicon.LoadFiles(cfg.BuiltinLexicon, cfg.Lexicons...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrLexicon, err)
	}
	if j.Tagger = opt.Tagger; j.Tagger == nil {
		if j.Tagger, err = NewTagger(cfg, lex); err != nil {
			return nil, err
		}
	}
	m.SetLexicons(lex)
	m.LexiconVersion = LexiconVersion(cfg, lex)
	j.LexVersion = m.LexiconVersion
	if err := checkExamples(j.Tagger, lex, opt, m, j.Log); err != nil {
		return nil, err
	}
	m.Stages["load"] = j.clock.lap()
	j.Log.Info("loaded lexicons and segmenter", "dimensions", len(lex.Dimensions), "seconds", m.Stages["load"])

	if j.Files, err = filepath.Glob(cfg.InputPath()); err != nil {
		return nil, fmt.Errorf("%w: input.path %q: %w", source.ErrNoInput, cfg.InputPath(), err)
	}
	if len(j.Files) == 0 {
		return nil, fmt.Errorf("%w: input.path %q matches no file", source.ErrNoInput, cfg.InputPath())
	}
	slices.Sort(j.Files)
	j.Dims, j.OfLeaf = aggregate.Dims(j.Tagger.Dimensions())
	if err := checkColumnNames(cfg.Input.Segments, j.Dims); err != nil {
		return nil, err
	}
	j.prepare()
	// Checked again here, not only when the config was loaded: the links
	// and folders may have changed since, and other engines build configs.
	out, err := config.ResolveOutputDir(cfg.Output.Dir)
	if err != nil {
		return nil, fmt.Errorf("%w: output.dir %w", config.ErrInvalid, err)
	}
	j.Partition = filepath.Join(out, config.RunsDir, cfg.Partition())
	j.Log.Info("writing", "partition", j.Partition, "output.dir", cfg.Output.Dir)
	if j.Opt.Baseline, err = partition.ResolveBaseline(j.Log, out, cfg.Date.Format(time.DateOnly), cmp.Or(opt.Baseline, cfg.Alerts.Baseline)); err != nil {
		return nil, err
	}
	if err := j.begin(); err != nil {
		j.End()
		return nil, err
	}
	return j, nil
}

// begin locks the partition, removes what earlier runs left beside it, and
// creates the run's temporary and staging folders (partition.Begin).
func (j *Job) begin() (err error) {
	if j.work, err = partition.Begin(j.Partition, j.Log); err != nil {
		return err
	}
	j.Tmp, j.Staging = j.work.Tmp, j.work.Staging
	return nil
}

// prepare derives the per-record core from the config.
func (j *Job) prepare() {
	in := j.Cfg.Input
	j.Columns = slices.Concat([]string{in.ID, in.Score, in.Text}, in.Segments)
	for _, b := range j.Cfg.Aggregate.By {
		j.by = append(j.by, slices.Index(in.Segments, b))
	}
	j.orderIdx = -1
	if in.Order != "" {
		j.orderIdx = len(j.Columns)
		j.Columns = append(j.Columns, in.Order)
	}
	j.filter.rules = in.Filter
	for _, f := range in.Filter {
		j.filter.idx = append(j.filter.idx, len(j.Columns))
		j.Columns = append(j.Columns, f.Column)
	}
	lo, hi := j.Cfg.Score.Scale[0], j.Cfg.Score.Scale[1]
	groups := make([]string, hi-lo+1)
	for s := lo; s <= hi; s++ {
		groups[s-lo] = j.Cfg.Score.Group(s)
	}
	j.cleaner = &Cleaner{Columns: j.Columns[:3+len(in.Segments)], Segments: len(in.Segments), ScaleLow: lo, ScaleHigh: hi, MaxTextBytes: in.MaxTextBytes,
		Group: func(s int) string { return groups[s-lo] }}
}

// End removes the staging folder (nothing once published) and the
// temporary folder, and unlocks the partition. It may be called on a job
// that Begin left half made.
func (j *Job) End() {
	if j.work != nil {
		j.work.End()
	}
}

// Classify is the per-record core before deduplication: an out-of-target
// record is filtered (input.filter), an invalid one rejected, any other is a
// response. It is pure.
func (j *Job) Classify(rec source.Record) (resp Response, rej *Reject, filtered bool) {
	if !j.filter.keep(rec.Values) {
		return Response{}, nil, true
	}
	resp, rej = j.cleaner.Clean(rec)
	if rej == nil && j.orderIdx >= 0 {
		resp.Order = int8(slices.Index(j.Cfg.Input.OrderValues, strings.TrimSpace(rec.Values[j.orderIdx])) + 1)
	}
	return resp, rej, false
}

// Duplicate is the reject of a later occurrence of an id: the first
// occurrence, in file order then line order, is kept.
func (j *Job) Duplicate(file string, line, offset int64, id, raw string) Reject {
	return Reject{File: file, Line: line, Offset: offset, Column: j.Cfg.Input.ID, Reason: "duplicate",
		Message: fmt.Sprintf("id=%s seen before: the first occurrence is kept", id), Raw: raw}
}

// DisplayPath names an input file in the tables (displayPath).
func (j *Job) DisplayPath(path string) string { return displayPath(j.Cfg, path) }

// Result is what reading, cleaning and tagging produced, whatever engine
// ran them: the counts of each input file, the merged counters,
// verbatims and miner, the rows written to each row table.
type Result struct {
	Inputs    []partition.FileCounts
	Counters  *aggregate.Counters
	Verbatims *aggregate.Verbatims
	Miner     *aggregate.Miner
	Tables    map[string]int64
	Cache     *partition.CacheStats
}

// Commit checks the counts and the error budget, writes the summary tables
// and the manifest into the staging folder, where the row tables already
// are, and publishes it: the last step of every engine.
func (j *Job) Commit(ctx context.Context, res Result) (*partition.Manifest, error) {
	cfg, m, log := j.Cfg, j.Manifest, j.Log
	m.Inputs, m.Cache = res.Inputs, res.Cache
	m.Stages["read_clean_tag_write"] = j.clock.lap()
	m.Counts = partition.Total(m.Inputs)
	if err := m.Counts.Check(); err != nil {
		return nil, err
	}
	if err := j.checkEmpty(m.Inputs); err != nil {
		return nil, err
	}
	if m.Counts.Read == 0 {
		return nil, fmt.Errorf("%w: %s holds no row", source.ErrNoInput, cfg.InputPath())
	}
	if err := overBudget(cfg.Input, m.Counts); err != nil {
		dir, ferr := partition.KeepRejects(j.Staging, j.Partition, err, m.Inputs)
		if ferr != nil {
			return nil, errors.Join(err, ferr)
		}
		return nil, fmt.Errorf("%w: see %s", err, dir)
	}
	m.Tables = map[string]int64{}
	maps.Copy(m.Tables, res.Tables)
	if err := j.writeSummaries(res); err != nil {
		return nil, err
	}
	m.Stages["aggregate"] = j.clock.lap()
	if j.Opt.Report != nil {
		if err := j.Opt.Report(j.Staging, m); err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		m.Stages["report"] = j.clock.lap()
	}
	m.FinishedAt = time.Now().UTC()
	m.Stages["publish"] = j.clock.lap()
	if err := m.Write(filepath.Join(j.Staging, partition.ManifestFile)); err != nil {
		return nil, err
	}
	j.fault("publish")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	warning, err := j.work.Publish(j.fault)
	if err != nil {
		return nil, err
	}
	if warning != nil {
		// Published: exit 0, so that the night is not rerun; see publish.
		log.Warn("published, but the previous run could not be removed: remove the folder by hand, or let the next run of this date retry", "error", warning)
	}
	log.Info("published", "partition", j.Partition, "respondents", m.Respondents, cfg.Score.Metric, m.Score)
	return m, nil
}

// checkEmpty warns of each input file with no header row (Job.Read counts
// it with 0 rows) and fails with source.ErrNoInput (exit 66) when every
// file is one.
func (j *Job) checkEmpty(inputs []partition.FileCounts) error {
	var empty []error
	for _, in := range inputs {
		if in.Empty {
			err := fmt.Errorf("%s: %w", in.Path, source.ErrEmptyFile)
			j.Log.Warn("empty input file (no header row): counted with 0 rows", "file", in.Path, "error", err)
			empty = append(empty, err)
		}
	}
	switch {
	case len(empty) == 1 && len(inputs) == 1:
		return fmt.Errorf("%w: %w", source.ErrNoInput, empty[0])
	case len(empty) > 0 && len(empty) == len(inputs):
		return fmt.Errorf("%w: every file input.path %q matches is empty: %w", source.ErrNoInput, j.Cfg.InputPath(), errors.Join(empty...))
	}
	return nil
}

// writeSummaries writes the summary tables, computed from the counters only,
// into the staging folder, and sets the manifest's headline.
func (j *Job) writeSummaries(res Result) error {
	cfg, m, log, dims := j.Cfg, j.Manifest, j.Log, j.Dims
	// Summary tables, from the counters only.
	sc, words := cfg.Score, table.Words(cfg.Score)
	rates := aggregate.MentionRates(res.Counters, dims, sc)
	scores := aggregate.Scores(res.Counters, cfg.Input.Segments, sc, cfg.Aggregate.MinSegment)
	for i := range rates {
		rates[i].LexiconVersion = j.LexVersion
	}
	for i := range scores {
		scores[i].LexiconVersion = j.LexVersion
	}
	drivers := aggregate.Drivers(res.Counters, dims, sc)
	for i := range drivers {
		drivers[i].LexiconVersion = j.LexVersion
	}
	summaries := map[string]func(string) (int64, error){
		"mention_rates.parquet":     func(p string) (int64, error) { return table.Write(p, cfg.Output.Compression, rates) },
		table.MetricFile(sc.Metric): func(p string) (int64, error) { return table.WriteMetric(p, cfg.Output.Compression, scores, words) },
		"drivers.parquet":           func(p string) (int64, error) { return table.WriteMetric(p, cfg.Output.Compression, drivers, words) },
	}
	var tops []string
	for _, d := range dims {
		if d.Level == 1 {
			tops = append(tops, d.Name)
		}
	}
	verbatims := res.Verbatims.Rows(tops)
	for i := range verbatims {
		verbatims[i].LexiconVersion = j.LexVersion
	}
	summaries["verbatims.parquet"] = func(p string) (int64, error) { return table.Write(p, cfg.Output.Compression, verbatims) }
	cov := res.Miner.Report(sc, aggregate.CandidatesPerKind, aggregate.CandidateExamples)
	for i := range cov.Groups {
		cov.Groups[i].LexiconVersion = j.LexVersion
	}
	for i := range cov.Candidates {
		cov.Candidates[i].LexiconVersion = j.LexVersion
	}
	summaries["coverage.parquet"] = func(p string) (int64, error) { return table.Write(p, cfg.Output.Compression, cov.Groups) }
	summaries["candidates.parquet"] = func(p string) (int64, error) { return table.Write(p, cfg.Output.Compression, cov.Candidates) }
	if len(cfg.Aggregate.By) > 0 {
		byRates := aggregate.MentionRatesBy(res.Counters, dims, sc, cfg.Input.Segments)
		for i := range byRates {
			byRates[i].LexiconVersion = j.LexVersion
		}
		summaries["mention_rates_by_segment.parquet"] = func(p string) (int64, error) {
			return table.Write(p, cfg.Output.Compression, byRates)
		}
	}
	if j.Opt.Baseline != "" {
		changes, err := partition.Changes(j.Opt.Baseline, sc, scores, rates)
		if err != nil {
			return err
		}
		for i := range changes {
			changes[i].LexiconVersion = j.LexVersion
		}
		summaries["changes.parquet"] = func(p string) (int64, error) { return table.Write(p, cfg.Output.Compression, changes) }
	}
	if cfg.Input.Order != "" {
		ot := aggregate.OrderTest(res.Counters, sc)
		ot.LexiconVersion = j.LexVersion
		warnOrder(log, ot)
		summaries["order_test.parquet"] = func(p string) (int64, error) {
			return table.WriteMetric(p, cfg.Output.Compression, []aggregate.OrderTestRow{ot}, words)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(summaries)) { // in name order: the same on every run
		n, err := summaries[name](filepath.Join(j.Staging, name))
		if err != nil {
			return err
		}
		m.Tables[name] = n
	}
	m.Metric, m.Score, m.Respondents = sc.Metric, scores[0].NPS, scores[0].Respondents
	if sc.Metric == "nps" {
		m.NPS = &m.Score
	}
	return nil
}

// warnOrder logs when the order changed the answers enough to matter.
func warnOrder(log *slog.Logger, r aggregate.OrderTestRow) {
	if r.PValue < 0.05 && r.CramersV >= 0.1 {
		log.Warn("the scale's presentation order changes the answers (order_test.parquet)",
			"p_value", r.PValue, "cramers_v", r.CramersV, "nps_asc", r.NPSAsc, "nps_desc", r.NPSDesc)
	}
}

// stopwatch measures consecutive stages.
type stopwatch struct{ last time.Time }

func newStopwatch() *stopwatch { return &stopwatch{last: time.Now()} }

// lap returns the seconds since the previous lap.
func (s *stopwatch) lap() float64 {
	now := time.Now()
	d := now.Sub(s.last)
	s.last = now
	return d.Seconds()
}
