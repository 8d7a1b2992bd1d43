// Package pipeline runs vocmine's nightly job: read survey exports, clean,
// tag, aggregate, and publish Parquet tables atomically. It runs the job's
// steps (Job: Begin, Read, Classify, Shard, Commit) through its
// subpackages: source reads the inputs, aggregate counts, table writes the
// Parquet tables and partition stages and commits the run. See
// docs/ARCHITECTURE.md for the data flow and docs/OUTPUTS.md for the tables.
package pipeline

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/tagger"
)

// Sentinel errors, each with what the caller should do.
var (
	// ErrLexicon: a lexicon file is invalid; fix it (the message has file:line). Exit 78.
	ErrLexicon = errors.New("invalid lexicon")
	// ErrOverBudget: more rows were rejected than input.max_rejects or
	// input.max_reject_rate allow; the rejects are in <output.dir>/_failed/.
	// Exit 65.
	ErrOverBudget = errors.New("too many rejected rows")
)

// Progress is reported while the run reads its inputs.
type Progress struct {
	Rows       int64
	Bytes      int64 // bytes of input consumed, for files that tell (csv, tsv, jsonl)
	TotalBytes int64
	Elapsed    time.Duration
}

// Options are the run's hooks.
type Options struct {
	Log *slog.Logger
	// Progress, if set, is called about once a second from the reading loop.
	Progress func(Progress)
	// Version is recorded in the manifest.
	Version string
	// Fault, if set, is called at named points ("read": after the first
	// batch is handed to tagging; "write": after the row tables are closed;
	// "publish": just before the partition is replaced). Crash tests use it
	// to stop the process there.
	Fault func(point string)
	// Tagger, if set, is used instead of building one from the config's
	// lexicons (which are still loaded and recorded): tests and long-lived
	// callers share one across runs. It must come from the same lexicons.
	Tagger *tagger.Tagger
	// AllowFailingExamples publishes a run even when the lexicons' own
	// examples fail (logged as a warning, counted in the manifest). Without
	// it such a run stops with ErrLexicon before reading any input.
	AllowFailingExamples bool
	// Baseline, if set, is a previous run's partition folder, or "previous"
	// (partition.ResolveBaseline), and overrides alerts.baseline: the run also
	// writes changes.parquet, its NPS and mention rates against that run's.
	Baseline string
	// Report, if set, is called with the staging folder once every table is
	// written there, before the manifest and the publish: what it writes
	// (report.html, alerts.json) is published with the run, atomically.
	Report func(dir string, m *partition.Manifest) error
}

// batchRows is how many records are tagged between writes.
const batchRows = 4096

// Run executes one run and returns its manifest once the partition is
// published. On error nothing is published and the previous run, if any, is
// left as it was.
func Run(ctx context.Context, cfg *config.Config, opt Options) (*partition.Manifest, error) {
	j, err := Begin(cfg, opt)
	if err != nil {
		return nil, err
	}
	defer j.End()
	return runJob(ctx, j)
}

// runJob reads, tags and commits a begun job.
//
// An unreadable input (source.ErrInput, exit 65) leaves, like a run over its
// reject budget, <output.dir>/_failed/run_date=.../ with the rejects read
// until then and error.txt: the error (file, offset, reason) and what each
// file had counted, which is what the engineer on call needs first.
func runJob(ctx context.Context, j *Job) (*partition.Manifest, error) {
	r, err := newRun(j)
	if err != nil {
		return nil, err
	}
	for _, f := range j.Files {
		if fi, err := os.Stat(f); err == nil {
			r.totalBytes += fi.Size()
		}
	}
	r.start = time.Now()
	var res Result
	for _, f := range j.Files {
		name := j.DisplayPath(f)
		fc, err := r.readFile(ctx, f, name)
		if err != nil {
			r.close()
			if errors.Is(err, source.ErrInput) && ctx.Err() == nil {
				fc.Path = name
				dir, ferr := partition.KeepRejects(j.Staging, j.Partition, err, append(res.Inputs, fc))
				if ferr != nil {
					return nil, errors.Join(err, fmt.Errorf("keeping the rejects in %s: %w", partition.FailedDir, ferr))
				}
				return nil, fmt.Errorf("%w: see %s", err, dir)
			}
			return nil, err
		}
		if err := fc.Counts.Check(); err != nil {
			r.close()
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		res.Inputs = append(res.Inputs, fc)
		j.Log.Info("read input", "file", f, "read", fc.Counts.Read, "accepted", fc.Counts.Accepted, "rejected", fc.Counts.Rejected, "duplicates", fc.Counts.Duplicates, "filtered", fc.Counts.Filtered)
	}
	if err := r.close(); err != nil {
		return nil, err
	}
	if hits, misses := r.cacheStats(); hits+misses > 0 {
		res.Cache = &partition.CacheStats{Hits: hits, Misses: misses}
		j.Log.Info("tag cache", "hits", hits, "misses", misses, "hit_rate", float64(hits)/float64(hits+misses))
	}
	j.fault("write")
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Counters, res.Verbatims, res.Miner = r.shard.Counters, r.shard.Verbatims, r.shard.Miner
	res.Tables = r.shard.Rows()
	res.Tables["rejects.parquet"] = r.rejects.Rows()
	return j.Commit(ctx, res)
}

// LexiconVersion identifies what decides a run's tags: the merged lexicons'
// content (lexicon.Digest) and the tagger settings (dictionary, mode,
// weights, codes). Every tagged row carries it, so that rows tagged alike can
// be told from rows tagged by another version.
func LexiconVersion(cfg *config.Config, lex *lexicon.Lexicon) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s\n%+v", lex.Digest(), TaggerConfig(cfg)))
	return hex.EncodeToString(sum[:8])
}

// checkExamples runs the lexicons' examples (lexicon.Example) and records
// the counts in the manifest; a failure stops the run unless allowed.
func checkExamples(tg *tagger.Tagger, lex *lexicon.Lexicon, opt Options, m *partition.Manifest, log *slog.Logger) error {
	if len(lex.Examples) == 0 {
		return nil
	}
	fails := tg.TestExamples(lex.Examples)
	m.Examples = &partition.ExampleStats{Total: len(lex.Examples), Failed: len(fails)}
	if len(fails) == 0 {
		return nil
	}
	var b strings.Builder
	for i, f := range fails {
		if i == 5 {
			fmt.Fprintf(&b, "... and %d more (vocmine lexicon test lists them all)\n", len(fails)-5)
			break
		}
		b.WriteString(f.String())
	}
	if !opt.AllowFailingExamples {
		return fmt.Errorf("%w: %d of %d lexicon examples fail, so the run is not published (fix the lexicon or the examples, or pass --allow-failing-examples):\n%s",
			ErrLexicon, len(fails), len(lex.Examples), strings.TrimRight(b.String(), "\n"))
	}
	log.Warn("LEXICON EXAMPLES FAIL: publishing anyway because of --allow-failing-examples", "failed", len(fails), "total", len(lex.Examples), "failures", b.String())
	return nil
}

// NewTagger builds the tagger a config asks for.
func NewTagger(cfg *config.Config, lex *lexicon.Lexicon) (*tagger.Tagger, error) {
	tc := TaggerConfig(cfg)
	tc.SkipEvidence = true // the tables keep each tag's main evidence only
	return tagger.New(tc, lex)
}

// TaggerConfig is the tagger's part of the run config.
func TaggerConfig(cfg *config.Config) tagger.Config {
	return tagger.Config{
		ContrastWeight: cfg.Tagger.ContrastWeight,
		NegationWindow: cfg.Tagger.NegationWindow,
		Dictionary:     cfg.Tagger.Dictionary,
		Mode:           cfg.Tagger.Mode,
		Passing:        cfg.Tagger.Passing,
		PassingClauses: cfg.Tagger.PassingClauses,
		MixedSentiment: cfg.Tagger.MixedSentiment,
		Codes:          tagger.Codes(cfg.Codes),
	}
}

// overBudget checks the rejected rows against input.max_rejects and
// input.max_reject_rate (a fraction of rows read). Duplicates and filtered
// rows do not count.
func overBudget(in config.Input, c partition.Counts) error {
	rate := float64(c.Rejected) / float64(max(c.Read, 1))
	if c.Rejected > int64(in.MaxRejects) && rate > in.MaxRejectRate {
		return fmt.Errorf("%w: %d of %d rows (%.2f%%) rejected; the budget is input.max_rejects %d or input.max_reject_rate %g",
			ErrOverBudget, c.Rejected, c.Read, 100*rate, in.MaxRejects, in.MaxRejectRate)
	}
	return nil
}

// displayPath names an input file in the tables: relative to the config
// file's folder when it lies below it, so that reruns from another checkout
// (or of the embedded example, unpacked into a new temporary folder each
// time) write the same rows.
func displayPath(cfg *config.Config, path string) string {
	if cfg.File == "" {
		return path
	}
	base, err1 := filepath.Abs(filepath.Dir(cfg.File))
	abs, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return path
	}
	if rel, err := filepath.Rel(base, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return path
}

// checkColumnNames rejects segment columns whose names clash with the fixed
// columns of responses.parquet or with each other, and dimensions named as a
// fixed column of codes.parquet.
func checkColumnNames(segments []string, dims []aggregate.Dim) error {
	for _, d := range dims {
		if d.Name == "response_id" || d.Name == "group" || d.Name == "score" || d.Name == "lexicon_version" {
			return fmt.Errorf("%w: dimension %q clashes with a column of codes.parquet", ErrLexicon, d.Name)
		}
	}
	fixed := []string{"response_id", "score", "group", "text", "tokens", "n_tags", "sentiment", "junk", "empty", "source_file", "source_line", "lexicon_version"}
	seen := map[string]bool{}
	for _, s := range segments {
		if slices.Contains(fixed, s) || seen[s] {
			return fmt.Errorf("%w: input.segments: column %q clashes with a column of responses.parquet (%v) or is listed twice", config.ErrInvalid, s, fixed)
		}
		seen[s] = true
	}
	return nil
}

// run is the state of Run's reading loop: one shard written by a reader,
// a pool of tagging workers and one goroutine per table.
type run struct {
	*Job
	shard   *Shard
	rejects *rejectSink
	seen    *idSet
	workers int
	caches  []*tagCache // one per worker; nil entries when disabled

	progress   func(Progress)
	rows       int64
	doneRows   int64 // rows of the files already read
	bytesDone  int64
	doneBytes  int64
	totalBytes int64
	start      time.Time
	lastReport time.Time
}

func newRun(j *Job) (*run, error) {
	r := &run{Job: j, seen: newIDSet(cmp.Or(j.idMemCap, defaultIDMemCap), j.Tmp), workers: j.Cfg.Run.Workers, progress: j.Opt.Progress}
	if r.workers == 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	for range r.workers {
		r.caches = append(r.caches, newTagCache(j.Cfg.Tagger.CacheSize/r.workers))
	}
	var err error
	if r.shard, err = j.NewShard(j.Staging, ""); err != nil {
		return nil, err
	}
	if r.rejects, err = newRejectSink(j.Staging, j.Cfg.Output.Compression); err != nil {
		r.shard.Close()
		return nil, err
	}
	r.rejects.version = j.LexVersion
	return r, nil
}

// close closes every row writer, reporting the first error.
func (r *run) close() error {
	r.seen.close()
	return errors.Join(r.shard.Close(), r.rejects.Close())
}

// readFile reads, cleans, tags and writes one input file. Tagging of a batch
// runs on the workers while the previous batch is written.
func (r *run) readFile(ctx context.Context, path, name string) (partition.FileCounts, error) {
	fc := partition.FileCounts{Path: name}
	first := true

	// One goroutine per table writer, each fed every batch.
	sinks := r.shard.sinks()
	chans := make([]chan []Tagged, len(sinks))
	g, gctx := errgroup.WithContext(ctx)
	for i, sink := range sinks {
		chans[i] = make(chan []Tagged, 1)
		g.Go(func() error {
			for batch := range chans[i] {
				if err := sink(batch); err != nil {
					return err
				}
			}
			return nil
		})
	}

	// The tag stage: tags a batch on the workers while the reader reads the
	// next one, then hands it to every sink.
	tagCh := make(chan []Tagged, 1)
	g.Go(func() error {
		defer func() {
			for _, ch := range chans {
				close(ch)
			}
		}()
		for batch := range tagCh {
			if err := r.tagBatch(gctx, batch); err != nil {
				return err
			}
			for _, ch := range chans {
				select {
				case ch <- batch:
				case <-gctx.Done():
					return gctx.Err()
				}
			}
		}
		return nil
	})

	// The reader: full batches as they fill, then the rest (perhaps none)
	// at the end of the file.
	var read source.Info
	readErr := func() error {
		defer close(tagCh)
		batch := make([]Tagged, 0, batchRows)
		var rejects []Reject
		flush := func() error {
			if err := r.rejects.Write(rejects); err != nil {
				return err
			}
			select {
			case tagCh <- batch:
			case <-gctx.Done():
				return gctx.Err()
			}
			batch, rejects = make([]Tagged, 0, batchRows), nil
			r.rows = r.doneRows + fc.Counts.Read
			r.report(false)
			if first {
				first = false
				r.fault("read")
			}
			return nil
		}
		var err error
		read, err = r.Read(ctx, path, name, &fc.Counts, func(row Row) error {
			r.bytesDone = r.doneBytes + row.Consumed
			if row.Reject != nil {
				rejects = append(rejects, *row.Reject)
				return nil
			}
			resp, rec := row.Resp, row.Rec
			isNew, err := r.seen.add(resp.ID)
			if err != nil {
				return err
			}
			if !isNew {
				fc.Counts.Duplicates++
				rejects = append(rejects, r.Duplicate(rec.File, int64(rec.Line), rec.Offset, resp.ID, rec.RawText()))
				return nil
			}
			fc.Counts.Accepted++
			if batch = append(batch, Tagged{Resp: resp}); len(batch) == batchRows {
				return flush()
			}
			return nil
		})
		if err != nil {
			// The rejects read so far are counted: keep them (_failed/).
			return errors.Join(err, r.rejects.Write(rejects))
		}
		return flush()
	}()
	if err := g.Wait(); err != nil {
		return fc, err
	}
	if readErr != nil {
		return fc, readErr
	}
	fc.Bytes, fc.SHA256, fc.Empty = read.Bytes, read.SHA256, read.Empty
	r.doneRows += fc.Counts.Read
	r.doneBytes += read.Bytes
	r.rows, r.bytesDone = r.doneRows, r.doneBytes
	r.report(true)
	return fc, nil
}

// tagBatch tags a batch on the workers, which take chunks of tagChunk rows
// in turn, so that none idles while rows are left (contiguous halves left
// one core idle whenever one half ran ahead).
func (r *run) tagBatch(ctx context.Context, batch []Tagged) error {
	var next atomic.Int64
	g, _ := errgroup.WithContext(ctx)
	for w := range r.workers {
		cache := r.caches[w]
		g.Go(func() error {
			for {
				lo := int(next.Add(tagChunk)) - tagChunk
				if lo >= len(batch) {
					return ctx.Err()
				}
				part := batch[lo:min(lo+tagChunk, len(batch))]
				for i := range part {
					part[i].Res = cache.tag(r.Tagger, part[i].Resp.Text)
				}
			}
		})
	}
	return g.Wait()
}

const tagChunk = 256

// cacheStats sums the workers' cache hits and misses.
func (r *run) cacheStats() (hits, misses int64) {
	for _, c := range r.caches {
		if c != nil {
			hits += c.hits
			misses += c.misses
		}
	}
	return hits, misses
}
