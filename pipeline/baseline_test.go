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
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
)

// TestResolveBaseline: "previous" is the latest published run dated
// strictly before the run, past later, unpublished, failed and work folders;
// none (no run yet, or no output folder yet) is a warning and no baseline; a
// named folder that does not exist is ErrNoBaseline (exit 66), named.
func TestResolveBaseline(t *testing.T) {
	out := t.TempDir()
	for _, d := range []struct {
		name      string
		published bool
	}{
		{"run_date=2026-11-01", true},
		{"run_date=2026-11-08", true},               // the latest before 11-10
		{"run_date=2026-11-09", false},              // half written or failed: no _SUCCESS
		{"run_date=2026-11-0x", true},               // not a date
		{"run_date=2026-11-10", true},               // this run's own date (a rerun)
		{"run_date=2026-11-20", true},               // later
		{"_failed/run_date=2026-11-09", true},       // a failed run's rejects
		{".staging-run_date=2026-11-09-1234", true}, // a run's work folder
		{".old-run_date=2026-11-09", true},          // a replaced partition
		{"_trend", true},
	} {
		if err := os.MkdirAll(filepath.Join(out, d.name), 0o755); err != nil {
			t.Fatal(err)
		}
		if d.published {
			if err := os.WriteFile(filepath.Join(out, d.name, "_SUCCESS"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	empty := t.TempDir()
	for _, tc := range []struct {
		name, out, date, value string
		want                   string
		warn                   bool
		err                    error
	}{
		{"none", out, "2026-11-10", "", "", false, nil},
		{"tenth night", out, "2026-11-10", "previous", filepath.Join(out, "run_date=2026-11-08"), false, nil},
		{"second night", out, "2026-11-02", "previous", filepath.Join(out, "run_date=2026-11-01"), false, nil},
		{"first night", empty, "2026-11-01", "previous", "", true, nil},
		{"first night, before every run", out, "2026-11-01", "previous", "", true, nil},
		{"first night, no output folder yet", filepath.Join(empty, "out"), "2026-11-01", "previous", "", true, nil},
		{"named", out, "2026-11-10", filepath.Join(out, "run_date=2026-11-01"), filepath.Join(out, "run_date=2026-11-01"), false, nil},
		{"named missing", out, "2026-11-10", filepath.Join(out, "run_date=2026-10-01"), "", false, pipeline.ErrNoBaseline},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log bytes.Buffer
			got, err := pipeline.ResolveBaseline(slog.New(slog.NewTextHandler(&log, nil)), tc.out, tc.date, tc.value)
			if got != tc.want || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("ResolveBaseline(%s, %s, %q) = %q, %v; want %q, %v", tc.out, tc.date, tc.value, got, err, tc.want, tc.err)
			}
			if warned := strings.Contains(log.String(), "level=WARN"); warned != tc.warn {
				t.Errorf("warned %v, want %v; log: %s", warned, tc.warn, log.String())
			}
			if err != nil && (pipeline.ExitCode(err) != pipeline.ExitNoInput || !strings.Contains(err.Error(), tc.value)) {
				t.Errorf("error %q: exit %d, want %d and the folder named", err, pipeline.ExitCode(err), pipeline.ExitNoInput)
			}
		})
	}
}

// TestBaselinePrevious runs the example with alerts.baseline: previous on
// the first night (a warning, no changes.parquet, published) and on the
// tenth, whose baseline is the latest published run before it (the eighth
// night's: the ninth's is unpublished), not a later run, _failed or a work
// folder; then with a named baseline that
// does not exist (ErrNoBaseline, nothing published).
func TestBaselinePrevious(t *testing.T) {
	cfg := exampleConfig(t)
	cfg.Alerts.Baseline = config.BaselinePrevious
	o := opts(t, cfg)
	var log bytes.Buffer
	o.Log = slog.New(slog.NewTextHandler(&log, nil))
	if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
		t.Fatalf("first night: %v", err)
	}
	first := cfg.PartitionDir()
	if !strings.Contains(log.String(), "no published run before this one") {
		t.Errorf("first night: no warning in the log:\n%s", log.String())
	}
	if _, err := os.Stat(filepath.Join(first, "changes.parquet")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("first night wrote changes.parquet (%v)", err)
	}
	// Nights 2 to 9, and a later run, as copies of the first.
	copyRun := func(name string, published bool) {
		dst := filepath.Join(cfg.Output.Dir, name)
		if err := os.CopyFS(dst, os.DirFS(first)); err != nil {
			t.Fatal(err)
		}
		if !published {
			os.Remove(filepath.Join(dst, "_SUCCESS"))
		}
	}
	for _, d := range []string{"2026-11-02", "2026-11-05", "2026-11-08"} {
		copyRun("run_date="+d, true)
	}
	copyRun("run_date=2026-11-30", true)         // later
	copyRun("run_date=2026-11-09", false)        // unpublished
	copyRun("_failed/run_date=2026-11-09", true) // a failed run's folder
	copyRun(".old-run_date=2026-11-09", true)    // a work folder
	cfg.Date = cfg.Date.AddDate(0, 0, 9)
	log.Reset()
	if _, err := pipeline.Run(context.Background(), cfg, o); err != nil {
		t.Fatalf("tenth night: %v", err)
	}
	rows := readTable[aggregate.ChangeRow](t, cfg.PartitionDir(), "changes.parquet")
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
	if !errors.Is(err, pipeline.ErrNoBaseline) || pipeline.ExitCode(err) != pipeline.ExitNoInput || !strings.Contains(err.Error(), o.Baseline) {
		t.Fatalf("a missing named baseline: %v (exit %d), want ErrNoBaseline naming %s, exit 66", err, pipeline.ExitCode(err), o.Baseline)
	}
	if _, err := os.Stat(cfg.PartitionDir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a run with a missing baseline left %s (%v)", cfg.PartitionDir(), err)
	}
}
