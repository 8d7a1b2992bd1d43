package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/examples"
	"github.com/vocmine/vocmine/examples/synth"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/tagger"
)

// Per-stage benchmarks of the pipeline, on 50,000 generated rows of unique
// reasons (each op is the whole set): read, clean, tag, aggregate, write.
// Together with BenchmarkRun (the whole job) they say where the time goes:
//
//	go test ./pipeline -run '^$' -bench 'Stage|Run' -benchmem

const stageRows = 50000

type stageFixture struct {
	csv     string
	records []source.Record
	batch   []Tagged
	tg      *tagger.Tagger
	lex     *lexicon.Lexicon
	dims    []aggregate.Dim
	ofLeaf  []int
	cleaner *Cleaner
	cfg     *config.Config
}

var fixture = sync.OnceValues(func() (*stageFixture, error) {
	fx := &stageFixture{}
	dir, err := os.MkdirTemp("", "vocmine-stages-")
	if err != nil {
		return nil, err
	}
	fx.csv = filepath.Join(dir, "survey.csv")
	var b bytes.Buffer
	if err := synth.Write(&b, synth.Options{Rows: stageRows, Seed: 4}); err != nil {
		return nil, err
	}
	if err := os.WriteFile(fx.csv, b.Bytes(), 0o644); err != nil {
		return nil, err
	}
	data, _ := examples.FS.ReadFile("telecom/lexicon.yaml")
	user, err := lexicon.Load("lexicon.yaml", bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	fx.lex = lexicon.Merge(lexicon.Builtin(), user)
	if fx.tg, err = tagger.New(tagger.Config{SkipEvidence: true}, fx.lex); err != nil {
		return nil, err
	}
	fx.dims, fx.ofLeaf = aggregate.Dims(fx.tg.Dimensions())
	fx.cfg = &config.Config{Score: config.Score{Metric: "nps", Scale: []int{0, 10}, Promoter: []int{9, 10}, Passive: []int{7, 8}, Detractor: []int{0, 6}},
		Input: config.Input{Segments: []string{"gender", "age_band", "member_level", "region"}}, Output: config.Output{Compression: "zstd"}}
	fx.cleaner = &Cleaner{Columns: []string{"respondent_id", "q1", "q2_reason"}, Segments: 4, ScaleLow: 0, ScaleHigh: 10, MaxTextBytes: 10000, Group: fx.cfg.Score.Group}
	fx.records, err = readRecords(fx.csv)
	if err != nil {
		return nil, err
	}
	for _, rec := range fx.records {
		resp, rej := fx.cleaner.Clean(rec)
		if rej != nil {
			return nil, errors.New(rej.Message)
		}
		fx.batch = append(fx.batch, Tagged{Resp: resp, Res: fx.tg.Tag(resp.Text)})
	}
	return fx, nil
})

func mustFixture(b *testing.B) *stageFixture {
	fx, err := fixture()
	if err != nil {
		b.Fatal(err)
	}
	return fx
}

func readRecords(path string) ([]source.Record, error) {
	src, err := source.Open(context.Background(), path, source.Options{Columns: []string{"respondent_id", "q1", "q2_reason", "gender", "age_band", "member_level", "region"}})
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var out []source.Record
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
}

func BenchmarkStageRead(b *testing.B) {
	fx := mustFixture(b)
	fi, _ := os.Stat(fx.csv)
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := readRecords(fx.csv); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(stageRows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkStageClean(b *testing.B) {
	fx := mustFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		seen := newIDSet(defaultIDMemCap, "")
		for _, rec := range fx.records {
			resp, _ := fx.cleaner.Clean(rec)
			seen.add(resp.ID)
		}
		seen.close()
	}
	b.ReportMetric(stageRows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkStageSegment(b *testing.B) {
	fx := mustFixture(b)
	seg, err := tagger.NewSegmenter(tagger.Config{}, fx.lex) // the tagger's dictionary and words
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i := range fx.batch {
			seg.Segment([]byte(lexicon.Normalize(fx.batch[i].Resp.Text)))
		}
	}
	b.ReportMetric(stageRows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkStageTag tags every row, without and with the tag cache (one
// worker's share of the default size); the rows are unique, so the cache
// only costs here.
func BenchmarkStageTag(b *testing.B) {
	fx := mustFixture(b)
	for _, size := range []int{0, 10000} {
		b.Run(fmt.Sprintf("cache=%d", size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c := newTagCache(size)
				for i := range fx.batch {
					c.tag(fx.tg, fx.batch[i].Resp.Text)
				}
			}
			b.ReportMetric(stageRows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func BenchmarkStageAggregate(b *testing.B) {
	fx := mustFixture(b)
	b.ReportAllocs()
	var ps []aggregate.DimPolarity
	for b.Loop() {
		c := aggregate.NewCounters(fx.cfg.Score, len(fx.dims), 4)
		for i := range fx.batch {
			ps = aggregate.Polarities(fx.dims, fx.ofLeaf, fx.batch[i].Res.Tags, ps)
			r := &fx.batch[i].Resp
			c.Add(r.Score, r.Order, r.Segments, ps)
		}
		aggregate.MentionRates(c, fx.dims, fx.cfg.Score)
	}
	b.ReportMetric(stageRows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkStageWrite writes responses, codes and mentions for every row.
func BenchmarkStageWrite(b *testing.B) {
	fx := mustFixture(b)
	b.ReportAllocs()
	for b.Loop() {
		dir := b.TempDir()
		j := &Job{Cfg: fx.cfg, Tagger: fx.tg, Dims: fx.dims, OfLeaf: fx.ofLeaf}
		s, err := j.NewShard(dir, "")
		if err != nil {
			b.Fatal(err)
		}
		for lo := 0; lo < len(fx.batch); lo += batchRows {
			if err := s.Write(fx.batch[lo:min(lo+batchRows, len(fx.batch))]); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(stageRows*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
