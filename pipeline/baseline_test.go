package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/table"
)

// TestBaselinePrevious runs the example with alerts.baseline: previous on
// the first night (a warning, no changes.parquet, published) and on the
// tenth, whose baseline is the latest published run before it (the eighth
// night's: the ninth's is unpublished), not a later run, _failed or a work
// folder; then with a named baseline that
// does not exist (ErrNoBaseline, nothing published).
func TestBaselinePrevious(t *testing.T) {
	cfg := exampletest.Config(t)
	cfg.Alerts.Baseline = config.BaselinePrevious
	o := opts(t, cfg)
	var log bytes.Buffer
	o.Log = slog.New(slog.NewTextHandler(&log, nil))
	if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
		t.Fatalf("first night: %v", err)
	}
	first := cfg.RunDir()
	if !strings.Contains(log.String(), "no published run before this one") {
		t.Errorf("first night: no warning in the log:\n%s", log.String())
	}
	if _, err := os.Stat(table.Path(first, "changes.parquet")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("first night wrote changes.parquet (%v)", err)
	}
	// Nights 2 to 9, and a later run, as copies of the first.
	copyRun := func(name string, published bool) { // the run's folder, and its tables when it is a run
		dst := filepath.Join(cfg.Output.Dir, name)
		if err := os.CopyFS(dst, os.DirFS(first)); err != nil {
			t.Fatal(err)
		}
		if !published {
			os.Remove(filepath.Join(dst, "_SUCCESS"))
		}
		if filepath.Dir(name) != "_runs" || !strings.HasPrefix(filepath.Base(name), "run_date=") {
			return
		}
		tables, _ := filepath.Glob(filepath.Join(cfg.Output.Dir, "*", filepath.Base(first)))
		for _, tb := range tables {
			if strings.HasPrefix(tb, filepath.Join(cfg.Output.Dir, "_")) {
				continue // _runs, _failed
			}
			if err := os.CopyFS(filepath.Join(filepath.Dir(tb), filepath.Base(name)), os.DirFS(tb)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, d := range []string{"2026-11-02", "2026-11-05", "2026-11-08"} {
		copyRun("_runs/run_date="+d, true)
	}
	copyRun("_runs/run_date=2026-11-30", true)      // later
	copyRun("_runs/run_date=2026-11-09", false)     // unpublished
	copyRun("_failed/run_date=2026-11-09", true)    // a failed run's folder
	copyRun("_runs/.old-run_date=2026-11-09", true) // a work folder
	copyRun("run_date=2026-11-09", true)            // not in _runs: the layout before table folders
	cfg.Date = cfg.Date.AddDate(0, 0, 9)
	log.Reset()
	if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
		t.Fatalf("tenth night: %v", err)
	}
	rows := readTable[aggregate.ChangeRow](t, cfg.RunDir(), "changes.parquet")
	if len(rows) == 0 {
		t.Fatal("tenth night: no changes rows")
	}
	for _, r := range rows {
		if r.BaselineDate != "2026-11-08" || r.Diff == nil || *r.Diff != 0 {
			t.Fatalf("tenth night: %+v, want against 2026-11-08 with no difference", r)
		}
	}
	if strings.Contains(log.String(), "level=WARN") {
		t.Errorf("tenth night warned:\n%s", log.String())
	}

	cfg.Date = cfg.Date.AddDate(0, 0, 1)
	o.Baseline = filepath.Join(cfg.Output.Dir, "run_date=2026-10-01") // overrides alerts.baseline
	_, err := pipeline.Run(context.Background(), cfg, o)
	if !errors.Is(err, partition.ErrNoBaseline) || pipeline.ExitCode(err) != pipeline.ExitNoInput || !strings.Contains(err.Error(), o.Baseline) {
		t.Fatalf("a missing named baseline: %v (exit %d), want ErrNoBaseline naming %s, exit 66", err, pipeline.ExitCode(err), o.Baseline)
	}
	if _, err := os.Stat(cfg.RunDir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a run with a missing baseline left %s (%v)", cfg.RunDir(), err)
	}
}
