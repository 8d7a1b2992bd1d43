package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/table"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func write(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "lex.yaml", "dimensions:\n  - name: 网络/信号\n    terms: [信号]\n")
	write(t, dir, "badlex.yaml", "dimensions:\n  - name: 网络/信号\n    terms: [信号, 信号]\n")
	write(t, dir, "in.csv", "id,score,text\nR1,9,信号好\nR2,3,信号差\n")
	write(t, dir, "nohead.csv", "")
	good := write(t, dir, "good.yaml", "input:\n  path: in.csv\nlexicons: [lex.yaml]\noutput:\n  dir: out\n")
	unknown := write(t, dir, "unknown.yaml", "input:\n  path: in.csv\n  colums: [a]\nlexicons: [lex.yaml]\n")
	badlex := write(t, dir, "badlex-config.yaml", "input:\n  path: in.csv\nlexicons: [badlex.yaml]\n")
	missingCol := write(t, dir, "missing.yaml", "input:\n  path: in.csv\n  score: q1\nlexicons: [lex.yaml]\noutput:\n  dir: out\n")

	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"good", []string{"run", "--config", good, "--date", "2026-11-01"}, pipeline.ExitOK, ""},
		{"unknown config key names file and line", []string{"run", "--config", unknown}, pipeline.ExitConfig, "unknown.yaml:3: unknown key \"input.colums\""},
		{"lexicon error names file and line", []string{"run", "--config", badlex}, pipeline.ExitConfig, "badlex.yaml:3: terms: \"信号\" listed twice"},
		{"no input file", []string{"run", "--config", good, "--input", filepath.Join(dir, "nope-*.csv")}, pipeline.ExitNoInput, "matches no file"},
		{"missing column", []string{"run", "--config", missingCol}, pipeline.ExitDataErr, "missing column \"q1\""},
		{"empty input", []string{"run", "--config", good, "--input", filepath.Join(dir, "nohead.csv")}, pipeline.ExitNoInput, "no header row"},
		{"bad date", []string{"run", "--config", good, "--date", "23/11/2026"}, pipeline.ExitUsage, "want YYYY-MM-DD"},
		{"bad flag", []string{"run", "--frobnicate"}, pipeline.ExitUsage, "unknown flag"},
		{"unknown command", []string{"frobnicate"}, pipeline.ExitUsage, "unknown command"},
		{"missing config file", []string{"run", "--config", filepath.Join(dir, "none.yaml")}, pipeline.ExitConfig, "none.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			ctx := context.Background()
			code := exitCode(ctx, run(ctx, tt.args, &stdout, &stderr), &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("vocmine %s: exit %d, want %d; stderr:\n%s\nwant it to contain %q", strings.Join(tt.args, " "), code, tt.code, stderr.String(), tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "_runs", "run_date=2026-11-01", "_SUCCESS")); err != nil {
		t.Errorf("the good run published nothing: %v", err)
	}
}

// TestEmbeddedExample is the README's first command: vocmine run with no config.
func TestEmbeddedExample(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	ctx := context.Background()
	code := exitCode(ctx, run(ctx, []string{"run", "--out", out, "--date", "2026-11-02", "--log-format", "json"}, &stdout, &stderr), &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "2993 respondents") || !strings.Contains(stderr.String(), `"msg":"published"`) {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	for _, f := range []string{"responses.parquet", "mentions.parquet", "codes.parquet", "mention_rates.parquet", "nps.parquet", "manifest.json", "_SUCCESS"} {
		if _, err := os.Stat(table.Path(filepath.Join(out, "_runs", "run_date=2026-11-02"), f)); err != nil {
			t.Error(err)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(out, "_runs"))
	for _, e := range entries {
		if e.Name() != "run_date=2026-11-02" && e.Name() != ".run_date=2026-11-02.lock" {
			t.Errorf("_runs holds %s: want only the run and its lock file (no staging left)", e.Name())
		}
	}
}

func TestMemoryBudget(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	for _, tc := range []struct {
		env       map[string]string
		limitMB   int
		wantLimit int64
		wantGCOff bool
	}{
		{nil, 560, 560 << 20, true},
		{nil, 0, math.MaxInt64, false},
		{map[string]string{"GOGC": "100"}, 560, 560 << 20, false},
	} {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
			v, ok := tc.env[k]
			if ok {
				t.Setenv(k, v)
			} else if old, set := os.LookupEnv(k); set {
				os.Unsetenv(k)
				defer os.Setenv(k, old)
			}
		}
		memoryBudget(tc.limitMB)
		gcOff := debug.SetGCPercent(100) < 0
		if got := debug.SetMemoryLimit(-1); got != tc.wantLimit || gcOff != tc.wantGCOff {
			t.Errorf("%v, %d MB: limit %d, GC off %v; want %d, %v", tc.env, tc.limitMB, got, gcOff, tc.wantLimit, tc.wantGCOff)
		}
	}
}

// TestAlertsFailOn: a run against a baseline publishes and lists its alerts
// in alerts.json; alerts.fail_on decides whether it then exits 3. The
// baseline has 20 promoters and 20 detractors (NPS 0, se 15.8); "better"
// has 40 promoters (NPS 100: an alert, not bad), "worse" 40 detractors.
func TestAlertsFailOn(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "lex.yaml", "dimensions:\n  - name: 网络/信号\n    terms: [信号]\n")
	survey := func(name string, scores ...int) {
		rows := []string{"id,score,text"}
		for i := range 40 {
			rows = append(rows, fmt.Sprintf("R%d,%d,信号一般", i, scores[i%len(scores)]))
		}
		write(t, dir, name, strings.Join(rows, "\n")+"\n")
	}
	survey("base.csv", 10, 0)
	survey("better.csv", 10)
	survey("worse.csv", 0)
	cfg := func(failOn string) string {
		return write(t, dir, failOn+".yaml", "input:\n  path: base.csv\nlexicons: [lex.yaml]\noutput:\n  dir: out\nalerts:\n  fail_on: "+failOn+"\n")
	}
	base := filepath.Join(dir, "out", "_runs", "run_date=2026-10-01")
	for _, tt := range []struct {
		failOn, input string
		code          int
	}{
		{"none", "base.csv", pipeline.ExitOK}, // the baseline itself
		{"none", "better.csv", pipeline.ExitOK},
		{"bad", "better.csv", pipeline.ExitOK},
		{"any", "better.csv", pipeline.ExitAlerts},
		{"bad", "worse.csv", pipeline.ExitAlerts},
	} {
		args := []string{"run", "--config", cfg(tt.failOn), "--input", filepath.Join(dir, tt.input), "--date", "2026-10-01"}
		if tt.input != "base.csv" {
			args = append(args, "--date", "2026-11-01", "--baseline", base)
		}
		var stdout, stderr bytes.Buffer
		ctx := context.Background()
		if code := exitCode(ctx, run(ctx, args, &stdout, &stderr), &stderr); code != tt.code {
			t.Errorf("fail_on %s, %s: exit %d, want %d; stderr:\n%s", tt.failOn, tt.input, code, tt.code, stderr.String())
		}
		if tt.input == "base.csv" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "out", "_runs", "run_date=2026-11-01", "alerts.json"))
		var alerts []map[string]any
		if err != nil || json.Unmarshal(b, &alerts) != nil || len(alerts) != 1 || alerts[0]["kind"] != "nps" || alerts[0]["bad"] != (tt.input == "worse.csv") {
			t.Errorf("%s: alerts.json %s (%v)", tt.input, b, err)
		}
	}
}
