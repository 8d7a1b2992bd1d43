package pipeline_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/partition"
)

var update = flag.Bool("update", false, "rewrite golden files")

// opts returns run options with the tagger of cfg's lexicons, shared by
// the tests that use the same lexicons.
func opts(t *testing.T, cfg *config.Config) pipeline.Options {
	return pipeline.Options{Tagger: exampletest.Tagger(t, cfg)}
}

// TestBadInputGolden runs testdata/bad, an export with one row of every kind
// vocmine rejects, and compares the rejects (file:line reason column) with
// testdata/bad/rejects.golden. Regenerate with -update and review the diff.
func TestBadInputGolden(t *testing.T) {
	cfg := exampletest.Load(t, filepath.Join("..", "testdata", "bad", "config.yaml"), time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC))
	cfg.Output.Dir = t.TempDir()
	m, err := pipeline.Run(context.Background(), cfg, pipeline.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range readTable[pipeline.Reject](t, cfg.RunDir(), "rejects.parquet") {
		fmt.Fprintf(&b, "%s:%d %s %s\n", r.File, r.Line, r.Reason, r.Column)
	}
	fmt.Fprintf(&b, "counts %+v\n", m.Counts)
	for _, in := range m.Inputs {
		fmt.Fprintf(&b, "%s %+v\n", in.Path, in.Counts)
	}
	golden := filepath.Join("..", "testdata", "bad", "rejects.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./pipeline -run BadInputGolden -update)", err)
	}
	if b.String() != string(want) {
		t.Errorf("rejects differ from %s (go test ./pipeline -run BadInputGolden -update):\ngot:\n%s\nwant:\n%s", golden, b.String(), want)
	}
	csv, err := os.ReadFile(filepath.Join(cfg.RunDir(), "rejects.csv"))
	if err != nil || !strings.HasPrefix(string(csv), "file,line,offset,column,reason,message,raw\n") || strings.Count(string(csv), "\nresponses.") < int(m.Counts.Rejected+m.Counts.Duplicates) {
		t.Errorf("rejects.csv: %v\n%s", err, csv)
	}
}

// TestCountsReconcileProperty writes random mixes of good, bad, duplicate
// and filtered rows and checks every count against what was written.
func TestCountsReconcileProperty(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lex.yaml"), []byte("dimensions:\n  - name: 网络/信号\n    terms: [信号]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "vocmine.yaml")
	os.WriteFile(conf, []byte("input:\n  path: in.csv\n  max_reject_rate: 1\n  filter:\n    - {column: ch, in: [a]}\nlexicons: [lex.yaml]\noutput:\n  dir: out\n"), 0o644)
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		var b strings.Builder
		b.WriteString("id,score,text,ch\n")
		var want partition.Counts
		var ids []string
		for i := range 1 + r.IntN(300) {
			want.Read++
			switch k := r.IntN(10); {
			case k < 5:
				id := fmt.Sprintf("R%d", i)
				ids = append(ids, id)
				fmt.Fprintf(&b, "%s,%d,信号%s,a\n", id, r.IntN(11), strings.Repeat("好", r.IntN(5)))
				want.Accepted++
			case k == 5 && len(ids) > 0:
				fmt.Fprintf(&b, "%s,5,again,a\n", ids[r.IntN(len(ids))])
				want.Duplicates++
			case k == 6:
				fmt.Fprintf(&b, "X%d,%s,bad,a\n", i, []string{"11", "x", "", "3.5", "-1"}[r.IntN(5)])
				want.Rejected++
			case k == 7:
				fmt.Fprintf(&b, "Y%d,5,filtered,b\n", i)
				want.Filtered++
			case k == 8:
				fmt.Fprintf(&b, "Z%d,5,\"多行\n文本\",a\n", i)
				want.Accepted++
			default:
				fmt.Fprintf(&b, "W%d,5,too,many,fields\n", i)
				want.Rejected++
			}
		}
		os.WriteFile(filepath.Join(dir, "in.csv"), []byte(b.String()), 0o644)
		cfg := exampletest.Load(t, conf, time.Date(2026, 1, 1+trial, 0, 0, 0, 0, time.UTC))
		m, err := pipeline.Run(context.Background(), cfg, opts(t, cfg))
		if err != nil {
			t.Fatal(err)
		}
		if m.Counts != want || m.Tables["responses.parquet"] != want.Accepted || m.Tables["rejects.parquet"] != want.Rejected+want.Duplicates {
			t.Fatalf("trial %d: counts %+v, tables %v; want %+v", trial, m.Counts, m.Tables, want)
		}
	}
}

// TestErrorBudget: over budget, nothing is published, the previous run stays,
// and the rejects wait in _failed/ for the engineer.
func TestErrorBudget(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lex.yaml"), []byte("dimensions:\n  - name: 网络/信号\n    terms: [信号]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "in.csv"), []byte("id,score,text\nR1,9,信号好\nR2,99,x\nR3,x,y\nR4,8,好\n"), 0o644)
	conf := filepath.Join(dir, "vocmine.yaml")
	date := time.Date(2026, 11, 7, 0, 0, 0, 0, time.UTC)
	run := func(budget string) error {
		os.WriteFile(conf, []byte("input:\n  path: in.csv\n"+budget+"lexicons: [lex.yaml]\noutput:\n  dir: out\n"), 0o644)
		cfg := exampletest.Load(t, conf, date)
		_, err := pipeline.Run(context.Background(), cfg, opts(t, cfg))
		return err
	}
	if err := run("  max_rejects: 2\n"); err != nil {
		t.Fatalf("2 rejects within max_rejects 2: %v", err)
	}
	before := hashDir(t, filepath.Join(dir, "out"), "_failed")
	for _, budget := range []string{"", "  max_rejects: 1\n", "  max_reject_rate: 0.4\n"} {
		err := run(budget)
		if !errors.Is(err, pipeline.ErrOverBudget) || !strings.Contains(err.Error(), "2 of 4 rows (50.00%) rejected") {
			t.Errorf("budget %q: err = %v, want ErrOverBudget", budget, err)
		}
		if after := hashDir(t, filepath.Join(dir, "out"), "_failed"); after != before {
			t.Errorf("budget %q: the failed run changed the published partition", budget)
		}
		if _, err := os.Stat(filepath.Join(dir, "out", "_failed", "run_date=2026-11-07", "rejects.csv")); err != nil {
			t.Errorf("budget %q: rejects not kept: %v", budget, err)
		}
	}
	if err := run("  max_reject_rate: 0.5\n"); err != nil {
		t.Errorf("2 of 4 within max_reject_rate 0.5: %v", err)
	}
}

// TestDeterministic: the same inputs and config give byte-identical tables.
func TestDeterministic(t *testing.T) {
	cfg := exampletest.Config(t)
	var hashes []string
	for range 2 {
		if _, err := pipeline.Run(context.Background(), cfg, opts(t, cfg)); err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hashDir(t, cfg.Output.Dir, "manifest.json"))
	}
	if hashes[0] != hashes[1] {
		t.Errorf("two runs differ:\n%s\n%s", hashes[0], hashes[1])
	}
}

// TestInterruptedRunPublishesNothing: a cancelled run (SIGINT/SIGTERM in the
// binary) removes its staging folder and leaves the previous partition.
func TestInterruptedRunPublishesNothing(t *testing.T) {
	cfg := exampletest.Config(t)
	if _, err := pipeline.Run(context.Background(), cfg, opts(t, cfg)); err != nil {
		t.Fatal(err)
	}
	before := hashDir(t, cfg.Output.Dir)
	for _, point := range []string{"read", "write", "publish"} {
		ctx, cancel := context.WithCancel(context.Background())
		o := opts(t, cfg)
		o.Fault = func(p string) {
			if p == point {
				cancel()
			}
		}
		_, err := pipeline.Run(ctx, cfg, o)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled at %s: err = %v", point, err)
		}
		if hashDir(t, cfg.Output.Dir) != before {
			t.Errorf("cancelled at %s: partition changed", point)
		}
		left, _ := filepath.Glob(filepath.Join(cfg.Output.Dir, ".staging-*"))
		if len(left) > 0 {
			t.Errorf("cancelled at %s: staging left: %v", point, left)
		}
	}
}

// hashDir lists each file of dir with its SHA-256, skipping the names given.
func hashDir(t *testing.T, dir string, skip ...string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case slices.Contains(skip, e.Name()) && e.IsDir():
			return filepath.SkipDir
		case slices.Contains(skip, e.Name()), e.IsDir(), strings.HasPrefix(e.Name(), "."): // lock files name their holder
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "%s %x\n", rel, sha256.Sum256(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCacheChangesNothing: the tag cache gives the same tables as none.
func TestCacheChangesNothing(t *testing.T) {
	cfg := exampletest.Config(t)
	var got []string
	for _, size := range []int{0, 64} {
		cfg.Tagger.CacheSize = size
		m, err := pipeline.Run(context.Background(), cfg, opts(t, cfg))
		if err != nil {
			t.Fatal(err)
		}
		if size > 0 && (m.Cache == nil || m.Cache.Hits == 0) {
			t.Errorf("cache of %d: no hits on the example's repeated reasons: %+v", size, m.Cache)
		}
		got = append(got, hashDir(t, cfg.Output.Dir, "manifest.json"))
	}
	if got[0] != got[1] {
		t.Errorf("tables differ with and without the cache:\n%s\n%s", got[0], got[1])
	}
}
