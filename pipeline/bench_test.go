package pipeline_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/vocmine/vocmine/examples/synth"
	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/pipeline"
)

// BenchmarkRun is the whole job (read CSV, clean, tag, aggregate, write every
// table, publish) on a generated survey of unique reasons, the tagger built
// once outside the loop. Set VOCMINE_BENCH_ROWS for another size.
func BenchmarkRun(b *testing.B) {
	rows := 200000
	if s := os.Getenv("VOCMINE_BENCH_ROWS"); s != "" {
		var n int
		for _, c := range s {
			n = n*10 + int(c-'0')
		}
		rows = n
	}
	t := &testing.T{}
	cfg := exampletest.Config(t)
	in := filepath.Join(b.TempDir(), "survey.csv")
	f, err := os.Create(in)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	if err := synth.Write(w, synth.Options{Rows: rows, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	w.Flush()
	f.Close()
	fi, _ := os.Stat(in)
	cfg.Input.Path = in
	cfg.Input.Filter = nil
	o := opts(t, cfg)
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
