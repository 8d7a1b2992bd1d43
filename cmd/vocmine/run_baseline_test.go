package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/table"
)

// TestBaselinePrevious: a scheduler's nightly command, vocmine run with
// alerts.baseline: previous (or --baseline previous), publishes on the first
// night with a warning and no changes.parquet, and on the tenth compares with
// the latest published run before it (not an unpublished one, nor a later
// one); a named baseline that does not exist exits 66 naming it. vocmine
// report --baseline takes "previous" the same way.
func TestBaselinePrevious(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "lex.yaml", "dimensions:\n  - name: 网络/信号\n    terms: [信号]\n")
	write(t, dir, "in.csv", "id,score,text\nR1,9,信号好\nR2,3,信号差\nR3,10,信号不错\n")
	plain := write(t, dir, "plain.yaml", "input:\n  path: in.csv\nlexicons: [lex.yaml]\noutput:\n  dir: out\n")
	prev := write(t, dir, "prev.yaml", "input:\n  path: in.csv\nlexicons: [lex.yaml]\noutput:\n  dir: out\nalerts:\n  baseline: previous\n")
	out := filepath.Join(dir, "out")
	vocmine := func(want int, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		ctx := context.Background()
		if code := exitCode(ctx, run(ctx, args, &stdout, &stderr), &stderr); code != want {
			t.Fatalf("vocmine %s: exit %d, want %d; stderr:\n%s", strings.Join(args, " "), code, want, stderr.String())
		}
		return stderr.String()
	}
	baselineOf := func(date string) string {
		t.Helper()
		rows, err := parquet.ReadFile[aggregate.ChangeRow](table.Path(filepath.Join(out, "_runs", "run_date="+date), "changes.parquet"))
		if err != nil || len(rows) == 0 {
			t.Fatalf("run_date=%s: changes.parquet: %d rows, %v", date, len(rows), err)
		}
		return rows[0].BaselineDate
	}

	// The first night.
	stderr := vocmine(pipeline.ExitOK, "run", "--config", prev, "--date", "2026-11-01")
	if !strings.Contains(stderr, "no published run before this one") {
		t.Errorf("first night: no warning; stderr:\n%s", stderr)
	}
	if _, err := os.Stat(table.Path(filepath.Join(out, "_runs", "run_date=2026-11-01"), "changes.parquet")); !os.IsNotExist(err) {
		t.Errorf("first night wrote changes.parquet (%v)", err)
	}

	// The tenth: the ninth's folder is unpublished, a later run exists.
	vocmine(pipeline.ExitOK, "run", "--config", plain, "--date", "2026-11-30")
	if err := os.MkdirAll(filepath.Join(out, "_runs", "run_date=2026-11-09"), 0o755); err != nil {
		t.Fatal(err)
	}
	vocmine(pipeline.ExitOK, "run", "--config", prev, "--date", "2026-11-10")
	if got := baselineOf("2026-11-10"); got != "2026-11-01" {
		t.Errorf("tenth night, alerts.baseline previous: against %s, want 2026-11-01", got)
	}
	if _, err := os.Stat(filepath.Join(out, "_runs", "run_date=2026-11-10", "alerts.json")); err != nil {
		t.Errorf("tenth night: %v", err)
	}
	vocmine(pipeline.ExitOK, "run", "--config", plain, "--date", "2026-11-11", "--baseline", "previous")
	if got := baselineOf("2026-11-11"); got != "2026-11-10" {
		t.Errorf("--baseline previous: against %s, want 2026-11-10", got)
	}

	// A named baseline that does not exist, by flag (over the config's
	// previous) and by config.
	missing := filepath.Join(out, "_runs", "run_date=2026-10-01")
	for _, args := range [][]string{
		{"run", "--config", prev, "--date", "2026-11-12", "--baseline", missing},
		{"report", "--run", filepath.Join(out, "_runs", "run_date=2026-11-11"), "--baseline", missing},
	} {
		if stderr := vocmine(pipeline.ExitNoInput, args...); !strings.Contains(stderr, "baseline not found: "+missing) {
			t.Errorf("vocmine %s: stderr %q does not name the missing baseline", strings.Join(args, " "), stderr)
		}
	}
	write(t, dir, "named.yaml", "input:\n  path: in.csv\nlexicons: [lex.yaml]\noutput:\n  dir: out\nalerts:\n  baseline: out/_runs/run_date=2026-10-01\n")
	if stderr := vocmine(pipeline.ExitNoInput, "run", "--config", filepath.Join(dir, "named.yaml"), "--date", "2026-11-12"); !strings.Contains(stderr, missing) {
		t.Errorf("alerts.baseline missing: stderr %q does not name %s", stderr, missing)
	}

	// vocmine report --baseline previous: against the run before --run's date.
	html := filepath.Join(t.TempDir(), "r.html")
	vocmine(pipeline.ExitOK, "report", "--run", filepath.Join(out, "_runs", "run_date=2026-11-30"), "--baseline", "previous", "--out", html)
	if _, err := os.Stat(filepath.Join(filepath.Dir(html), "alerts.json")); err != nil {
		t.Errorf("report --baseline previous: no alerts.json: %v", err)
	}
	html = filepath.Join(t.TempDir(), "r.html")
	if stderr := vocmine(pipeline.ExitOK, "report", "--run", filepath.Join(out, "_runs", "run_date=2026-11-01"), "--baseline", "previous", "--out", html); !strings.Contains(stderr, "no published run before this one") {
		t.Errorf("report of the first night: no warning; stderr:\n%s", stderr)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(html), "alerts.json")); !os.IsNotExist(err) {
		t.Errorf("report of the first night, --baseline previous: alerts.json (%v)", err)
	}
}
