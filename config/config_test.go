package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func writeConfig(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "vocmine.yaml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func noEnv(string) (string, bool) { return "", false }

func env(kv map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
}

const minimal = "input:\n  path: in.csv\nlexicons: [lex.yaml]\n"

func TestDefaultsAndRelativePaths(t *testing.T) {
	p := writeConfig(t, minimal+"output:\n  dir: out\n")
	cfg, err := (&Loader{File: p, LookupEnv: noEnv, Date: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}).Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(p)
	if cfg.Input.Path != filepath.Join(dir, "in.csv") || cfg.Lexicons[0] != filepath.Join(dir, "lex.yaml") || cfg.Output.Dir != filepath.Join(dir, "out") {
		t.Errorf("paths not resolved against the config's folder: %q %q %q", cfg.Input.Path, cfg.Lexicons, cfg.Output.Dir)
	}
	if !slices.Equal(cfg.Score.Scale, []int{0, 10}) || !slices.Equal(cfg.Score.Promoter, []int{9, 10}) || cfg.Codes.Positive != 3 || cfg.Codes.Absent != 2 || !cfg.BuiltinLexicon || cfg.Output.Compression != "zstd" {
		t.Errorf("defaults not applied: %+v", cfg)
	}
	if got := cfg.RunDir(); got != filepath.Join(dir, "out", "_runs", "run_date=2026-11-02") {
		t.Errorf("RunDir = %q", got)
	}
}

func TestPrecedence(t *testing.T) {
	p := writeConfig(t, minimal+"output:\n  dir: from-file\nrun:\n  workers: 1\n")
	flags := pflag.NewFlagSet("t", pflag.ContinueOnError)
	flags.String("out", "", "")
	flags.Int("workers", 0, "")
	keys := map[string]string{"out": "output.dir", "workers": "run.workers"}

	load := func(e map[string]string, args ...string) *Config {
		t.Helper()
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		fs.AddFlagSet(flags)
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		cfg, err := (&Loader{File: p, Flags: fs, FlagKeys: keys, LookupEnv: env(e)}).Load()
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	if got := load(nil).Output.Dir; got != filepath.Join(filepath.Dir(p), "from-file") {
		t.Errorf("file value: %q", got)
	}
	if got := load(map[string]string{"VOCMINE_OUTPUT_DIR": "from-env"}).Output.Dir; got != "from-env" {
		t.Errorf("env must beat file and stay relative to the working folder: %q", got)
	}
	if got := load(map[string]string{"VOCMINE_OUTPUT_DIR": "from-env"}, "--out", "from-flag").Output.Dir; got != "from-flag" {
		t.Errorf("flag must beat env: %q", got)
	}
	if got := load(map[string]string{"VOCMINE_RUN_WORKERS": "3"}).Run.Workers; got != 3 {
		t.Errorf("env int: %d", got)
	}
	if got := load(map[string]string{"VOCMINE_INPUT_SEGMENTS": "region,gender"}).Input.Segments; !slices.Equal(got, []string{"region", "gender"}) {
		t.Errorf("env list: %q", got)
	}
}

// TestConfigBaseline: alerts.baseline is "previous" as written, a folder
// relative to the config file's, and the --baseline flag overrides it.
func TestConfigBaseline(t *testing.T) {
	load := func(src string, args ...string) string {
		t.Helper()
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		fs.String("baseline", "", "")
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		p := writeConfig(t, minimal+src)
		cfg, err := (&Loader{File: p, Flags: fs, FlagKeys: map[string]string{"baseline": "alerts.baseline"}, LookupEnv: noEnv}).Load()
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimPrefix(cfg.Alerts.Baseline, filepath.Dir(p)+string(filepath.Separator))
	}
	for _, tc := range []struct {
		name, src string
		args      []string
		want      string
	}{
		{"default", "", nil, ""},
		{"previous", "alerts:\n  baseline: previous\n", nil, "previous"},
		{"folder, relative to the file", "alerts:\n  baseline: out/run_date=2026-10-01\n", nil, "out/run_date=2026-10-01"},
		{"flag beats file", "alerts:\n  baseline: previous\n", []string{"--baseline", "b/run_date=2026-10-01"}, "b/run_date=2026-10-01"},
		{"flag previous", "alerts:\n  baseline: out/run_date=2026-10-01\n", []string{"--baseline", "previous"}, "previous"},
	} {
		if got := load(tc.src, tc.args...); got != tc.want {
			t.Errorf("%s: alerts.baseline %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestFiveStarByConfigAlone(t *testing.T) {
	p := writeConfig(t, minimal+"score:\n  scale: [1, 5]\n  promoter: [5, 5]\n  passive: [4, 4]\n  detractor: [1, 3]\n")
	cfg, err := (&Loader{File: p, LookupEnv: noEnv}).Load()
	if err != nil {
		t.Fatal(err)
	}
	for score, want := range map[int]string{5: "promoter", 4: "passive", 3: "detractor", 1: "detractor"} {
		if got := cfg.Score.Group(score); got != want {
			t.Errorf("Group(%d) = %s, want %s", score, got, want)
		}
	}
}

// TestMetrics: score.metric brings its scale and groups; a group range the
// user sets wins over the metric's default, from the file or a variable.
func TestMetrics(t *testing.T) {
	load := func(src string, e map[string]string) Score {
		t.Helper()
		cfg, err := (&Loader{File: writeConfig(t, minimal+src), LookupEnv: env(e)}).Load()
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Score
	}
	groups := func(s Score) string {
		var b strings.Builder
		for v := s.Scale[0]; v <= s.Scale[1]; v++ {
			b.WriteString(s.Group(v)[:2])
		}
		return b.String()
	}
	for _, tc := range []struct {
		src    string
		env    map[string]string
		scale  []int
		groups string // first two letters of each score's group, low to high
		value  float64
	}{
		{"", nil, []int{0, 10}, "dededededededepapaprpr", -100},            // nps: Value of score 0
		{"score:\n  metric: csat\n", nil, []int{1, 5}, "didinesasa", 0},    // csat: a 1 counts 0
		{"score:\n  metric: ces\n", nil, []int{1, 7}, "hihihinelololo", 1}, // ces: the score itself
		{"score:\n  metric: ces\n  low_effort: [6, 7]\n  neutral: [4, 5]\n", nil, []int{1, 7}, "hihihinenelolo", 1},
		{"", map[string]string{"VOCMINE_SCORE_METRIC": "csat", "VOCMINE_SCORE_SATISFIED": "5,5", "VOCMINE_SCORE_NEUTRAL": "3,4"}, []int{1, 5}, "didinenesa", 0},
	} {
		s := load(tc.src, tc.env)
		g := groups(s)
		if !slices.Equal(s.Scale, tc.scale) || g != tc.groups || s.Value(s.Scale[0]) != tc.value {
			t.Errorf("%q %v: scale %v groups %s value %v; want %v %s %v", tc.src, tc.env, s.Scale, g, s.Value(s.Scale[0]), tc.scale, tc.groups, tc.value)
		}
	}
	if s := MetricScore("csat"); s.Value(4) != 100 || s.Value(3) != 0 || s.Groups() != [3]string{"satisfied", "neutral", "dissatisfied"} {
		t.Errorf("csat: %+v", s)
	}
	if s := MetricScore("nps"); s.Value(10) != 100 || s.Value(7) != 0 || s.Value(6) != -100 {
		t.Errorf("nps values: %+v", s)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		env  map[string]string
		want []string
	}{
		{"unknown key with line", minimal + "output:\n  dri: x\n", nil, []string{"vocmine.yaml:5: unknown key \"output.dri\""}},
		{"unknown top key", minimal + "lexicon: [a]\n", nil, []string{"vocmine.yaml:4: unknown key \"lexicon\""}},
		{"bad group ranges name the line", minimal + "score:\n  promoter: [9, 11]\n", nil, []string{"vocmine.yaml:5: score.promoter: [9 11] is outside score.scale [0 10]"}},
		{"overlap", minimal + "score:\n  passive: [6, 8]\n", nil, []string{"score.detractor: [0 6] overlaps score.passive at score 6"}},
		{"gap", minimal + "score:\n  passive: [8, 8]\n", nil, []string{"score 7 of scale [0 10] is in no group"}},
		{"from env", minimal, map[string]string{"VOCMINE_OUTPUT_COMPRESSION": "lz9"}, []string{"VOCMINE_OUTPUT_COMPRESSION: output.compression: \"lz9\""}},
		{"no input", "lexicons: [a.yaml]\n", nil, []string{"input.path: no input"}},
		{"no lexicon", "input:\n  path: a.csv\n", nil, []string{"lexicons: no lexicon"}},
		{"bad type", minimal + "run:\n  workers: many\n", nil, []string{"workers"}},
		{"not a mapping", minimal + "input: x\n", nil, []string{"input"}},
		{"unknown metric", minimal + "score:\n  metric: nss\n", nil, []string{"vocmine.yaml:5: score.metric: \"nss\": want nps, csat or ces"}},
		{"another metric's group", minimal + "score:\n  metric: csat\n  promoter: [5, 5]\n", nil,
			[]string{"vocmine.yaml:6: score.promoter: is not a group of score.metric csat: its groups are score.satisfied, score.neutral and score.dissatisfied"}},
		{"a metric's defaults off its scale", minimal + "score:\n  metric: csat\n  scale: [0, 10]\n", nil, []string{"score 0 of scale [0 10] is in no group: satisfied, neutral and dissatisfied"}},
		{"unknown passing", minimal + "tagger:\n  passing: keep\n", nil, []string{"vocmine.yaml:5: tagger.passing: \"keep\": want review, neutral or drop"}},
		{"ces overlap", minimal + "score:\n  metric: ces\n  low_effort: [4, 7]\n", nil, []string{"score.neutral: [4 4] overlaps score.low_effort at score 4"}},
		{"baseline Previous", minimal + "alerts:\n  baseline: Previous\n", nil, []string{"vocmine.yaml:5: alerts.baseline: \"Previous\": want \"\", previous or a run's partition folder"}},
		{"baseline with spaces", minimal, map[string]string{"VOCMINE_ALERTS_BASELINE": "previous "}, []string{"VOCMINE_ALERTS_BASELINE: alerts.baseline: \"previous \""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeConfig(t, tt.src)
			_, err := (&Loader{File: p, LookupEnv: env(tt.env)}).Load()
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
		})
	}
}

func TestInputPathDate(t *testing.T) {
	c := Config{Input: Input{Path: "exports/nps_{date}.csv"}, Date: time.Date(2026, 11, 23, 0, 0, 0, 0, time.Local)}
	if got := c.InputPath(); got != "exports/nps_2026-11-23.csv" {
		t.Errorf("InputPath = %q", got)
	}
}

// An alias bomb ends in an error, not in memory without bound.
func TestAliasBomb(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\ninput:\n  segments: *g\n"
	_, err := (&Loader{File: writeConfig(t, bomb), LookupEnv: noEnv}).Load()
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("err = %v, want ErrInvalid", err)
	}
}

func TestOutputDirIntoAPartition(t *testing.T) {
	p := writeConfig(t, minimal+"output:\n  dir: out/run_date=2026-11-01/..//run_date=2026-11-02/x\n")
	_, err := (&Loader{File: p, LookupEnv: noEnv}).Load()
	if err == nil || !strings.Contains(err.Error(), "resolves into a run's partition") {
		t.Errorf("err = %v", err)
	}
}

// TestOutputDirResolvesIntoAPartition: the check is on the real path, not
// on the text of output.dir: a symlink to a partition, "." from inside one,
// a path through a symlinked parent that does not exist yet, and a folder
// below a published partition (one holding _SUCCESS) renamed by hand are
// all refused, since a rerun of the outer date would delete what they write.
func TestOutputDirResolvesIntoAPartition(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "out")
	part := filepath.Join(out, "run_date=2026-11-01")
	renamed := filepath.Join(root, "backup")
	for _, d := range []string{filepath.Join(part, "sub"), renamed, filepath.Join(out, ".staging-run_date=2026-11-02-123")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(part, "_SUCCESS"), nil, 0o644)
	os.WriteFile(filepath.Join(renamed, "_SUCCESS"), nil, 0o644)
	link := func(name, target string) string {
		p := filepath.Join(root, name)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, dir, cwd string
	}{
		{"symlink to a published partition", link("to-part", part), ""},
		{"relative symlink to a folder in a partition", link("to-sub", "out/run_date=2026-11-01/sub"), ""},
		{"dot from inside a partition", ".", filepath.Join(part, "sub")},
		{"nested path through a symlinked parent", filepath.Join(link("parent", filepath.Join(part, "sub")), "new", "deeper"), ""},
		{"dotdot through a symlink", filepath.Join(root, "to-sub2") + "/../x", ""},
		{"a dangling symlink into a partition", link("dangling", filepath.Join(part, "not-yet")), ""},
		{"below a renamed published partition", filepath.Join(renamed, "x"), ""},
		{"a staging folder", filepath.Join(out, ".staging-run_date=2026-11-02-123"), ""},
	}
	link("to-sub2", filepath.Join(part, "sub"))
	conf := writeConfig(t, minimal)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.cwd != "" {
				t.Chdir(tt.cwd)
			}
			// From the environment, so that "." is the working folder's.
			_, err := (&Loader{File: conf, LookupEnv: env(map[string]string{EnvVar("output.dir"): tt.dir})}).Load()
			if !strings.Contains(fmt.Sprint(err), "resolves into a run's partition") {
				t.Errorf("output.dir %q: err = %v, want a refusal naming the partition", tt.dir, err)
			}
			if _, err := ResolveOutputDir(tt.dir); err == nil {
				t.Errorf("ResolveOutputDir(%q) accepted it", tt.dir)
			}
		})
	}
	// Not refused: output.dir itself, a new folder beside it, and a folder
	// holding an unrelated manifest.json.
	other := filepath.Join(root, "app")
	os.MkdirAll(other, 0o755)
	os.WriteFile(filepath.Join(other, "manifest.json"), []byte("{}"), 0o644)
	for _, dir := range []string{out, filepath.Join(root, "new", "out"), filepath.Join(other, "out"), link("to-out", out)} {
		real, err := ResolveOutputDir(dir)
		if err != nil {
			t.Errorf("ResolveOutputDir(%q): %v", dir, err)
		}
		if !filepath.IsAbs(real) || strings.Contains(real, "to-out") {
			t.Errorf("ResolveOutputDir(%q) = %q, want the real absolute path", dir, real)
		}
	}
}

// FuzzLoad: any bytes as a config file give a config or an ErrInvalid, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(minimal))
	f.Add([]byte("input: {path: a, filter: [{column: c, in: [x]}]}\nscore: {scale: [1, 5], promoter: [5, 5], passive: [4, 4], detractor: [1, 3]}\nlexicons: [l]\n"))
	f.Add([]byte("score:\n  scale: [0]\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "f.yaml")
		os.WriteFile(p, data, 0o644)
		cfg, err := (&Loader{File: p, LookupEnv: noEnv}).Load()
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error without ErrInvalid: %v", err)
			}
			return
		}
		if cfg.Validate() != nil {
			t.Fatal("Load returned a config that does not validate")
		}
	})
}
