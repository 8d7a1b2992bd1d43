package main

import (
	"encoding/json"
	"github.com/vocmine/vocmine/pipeline"
	"os"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// gseInGoMod is the gse version go.mod requires: what the binary must report.
func gseInGoMod(t *testing.T) string {
	t.Helper()
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*github\.com/go-ego/gse (v\S+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod requires no github.com/go-ego/gse")
	}
	return string(m[1])
}

// versionOut runs vocmine args, which must succeed, and returns its stdout.
func versionOut(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := runVocmine(args...)
	if code != 0 {
		t.Fatalf("vocmine %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
	return stdout
}

func TestVersionCommand(t *testing.T) {
	gse := gseInGoMod(t)
	out := versionOut(t, "version")
	lines := strings.Split(out, "\n")
	if got, want := lines[0], strings.TrimSpace(versionOut(t, "--version")); got != want || got != "vocmine "+version() {
		t.Errorf("first line %q, --version %q, want both %q", got, want, "vocmine "+version())
	}
	field := map[string]string{}
	for _, l := range lines[1:] {
		if k, v, ok := strings.Cut(l, ":"); ok && !strings.HasPrefix(k, "(") {
			field[k] = strings.TrimSpace(v)
		}
	}
	for _, k := range []string{"module", "vcs.revision", "vcs.time", "vcs.modified", "go", "gse", "dictionary"} {
		if field[k] == "" {
			t.Errorf("no %s line in:\n%s", k, out)
		}
	}
	if field["go"] != runtime.Version() {
		t.Errorf("go: %q, want %q", field["go"], runtime.Version())
	}
	if field["gse"] != gse {
		t.Errorf("gse: %q, want go.mod's %q", field["gse"], gse)
	}
	if !strings.HasPrefix(field["dictionary"], "zh_s_small, embedded in vocmine: gse "+gse) {
		t.Errorf("dictionary: %q, want the default zh_s_small, from gse %s", field["dictionary"], gse)
	}
	if !strings.HasPrefix(field["module"], "github.com/vocmine/vocmine ") {
		t.Errorf("module: %q, want github.com/vocmine/vocmine and its version", field["module"])
	}

	// The dictionary is the one a run would use: config and environment count.
	t.Setenv("VOCMINE_TAGGER_DICTIONARY", "zh")
	var f buildFacts
	if err := json.Unmarshal([]byte(versionOut(t, "version", "--json")), &f); err != nil {
		t.Fatal(err)
	}
	if f.Dictionary != "zh" || f.DictionaryOf != "embedded in gse "+gse || f.Go != runtime.Version() || f.Gse != gse || f.Version != version() {
		t.Errorf("version --json with VOCMINE_TAGGER_DICTIONARY=zh: %+v", f)
	}
	t.Setenv("VOCMINE_TAGGER_DICTIONARY", "jieba")
	if code, _, stderr := runVocmine("version"); code != pipeline.ExitConfig {
		t.Errorf("version with tagger.dictionary=jieba: exit %d, want %d (bad config); stderr %q", code, pipeline.ExitConfig, stderr)
	}
}

// TestReadBuildFacts reads the VCS stamp and gse's version as go build writes
// them (go test stamps no VCS settings, so TestVersionCommand sees none).
func TestReadBuildFacts(t *testing.T) {
	bi := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/vocmine/vocmine", Version: "v0.0.0-20261202014337-0cfef4e4421f+dirty"},
		Deps: []*debug.Module{{Path: "github.com/spf13/cobra", Version: "v1.9.1"}, {Path: "github.com/go-ego/gse", Version: "v0.80.3"}},
		Settings: []debug.BuildSetting{{Key: "-buildmode", Value: "exe"}, {Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "0cfef4e4421f5bb0c6c22c82a4333f09c99a0869"}, {Key: "vcs.time", Value: "2026-12-02T01:43:37Z"}, {Key: "vcs.modified", Value: "true"}},
	}
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want buildFacts
	}{
		{"go build in a git clone", bi, buildFacts{Module: "github.com/vocmine/vocmine v0.0.0-20261202014337-0cfef4e4421f+dirty",
			Revision: "0cfef4e4421f5bb0c6c22c82a4333f09c99a0869", Time: "2026-12-02T01:43:37Z", Modified: "true", Gse: "v0.80.3"}},
		{"gse replaced", &debug.BuildInfo{Main: bi.Main, Deps: []*debug.Module{{Path: "github.com/go-ego/gse", Version: "v0.80.3", Replace: &debug.Module{Path: "../gse", Version: "(devel)"}}}},
			buildFacts{Module: "github.com/vocmine/vocmine v0.0.0-20261202014337-0cfef4e4421f+dirty", Revision: unstamped, Time: unstamped, Modified: unstamped, Gse: "(devel)"}},
		{"no build info", nil, buildFacts{Module: unstamped, Revision: unstamped, Time: unstamped, Modified: unstamped, Gse: unstamped}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readBuildFacts(tt.bi, "zh_s")
			tt.want.Version, tt.want.Go, tt.want.Dictionary, tt.want.DictionaryOf = version(), runtime.Version(), "zh_s", "embedded in gse "+tt.want.Gse
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}
