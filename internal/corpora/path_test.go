package corpora

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stopTB records Path's Skipf or Fatalf and stops Path there, as testing does.
type stopTB struct {
	testing.TB
	skipped, failed string
}

func (s *stopTB) Helper() {}
func (s *stopTB) Skipf(format string, args ...any) {
	s.skipped = fmt.Sprintf(format, args...)
	panic(s)
}
func (s *stopTB) Fatalf(format string, args ...any) {
	s.failed = fmt.Sprintf(format, args...)
	panic(s)
}

func TestPath(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, require string
		want                string // the path returned, or "skip" or "fail"
	}{
		{name: "present", file: "a.csv", want: filepath.Join(dir, "a.csv")},
		{name: "present, required", file: "a.csv", require: "1", want: filepath.Join(dir, "a.csv")},
		{name: "absent: skips", file: "none.csv", want: "skip"},
		{name: "absent, required: fails", file: "none.csv", require: "1", want: "fail"},
		{name: "absent, require not 1: skips", file: "none.csv", require: "0", want: "skip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("VOCMINE_BENCH_DATA", dir)
			t.Setenv("VOCMINE_REQUIRE_CORPUS", tt.require)
			tb := &stopTB{TB: t}
			got := func() (p string) {
				defer func() {
					if r := recover(); r != nil && r != any(tb) {
						panic(r)
					}
				}()
				return Path(tb, tt.file)
			}()
			switch {
			case tb.skipped != "":
				got = "skip"
			case tb.failed != "":
				got = "fail"
			}
			if got != tt.want {
				t.Fatalf("Path(%q) = %q (skipped %q, failed %q), want %q", tt.file, got, tb.skipped, tb.failed, tt.want)
			}
			if msg := tb.skipped + tb.failed; msg != "" && !strings.Contains(msg, "none.csv") {
				t.Errorf("message %q does not name the missing path", msg)
			}
		})
	}
}

// TestDataDir: without $VOCMINE_BENCH_DATA the folder is ../shared/data
// beside the nearest go.mod above the working directory, whatever the depth.
func TestDataDir(t *testing.T) {
	t.Setenv("VOCMINE_BENCH_DATA", "")
	root := t.TempDir()
	deep := filepath.Join(root, "repo", "a", "b")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "repo", "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, wd := range []string{filepath.Join(root, "repo"), deep} {
		t.Chdir(wd)
		got, err := dataDir()
		if want := filepath.Join(root, "shared", "data"); err != nil || got != want {
			t.Errorf("dataDir() from %s = %q, %v, want %q", wd, got, err, want)
		}
	}
	t.Chdir(root)
	if got, err := dataDir(); err == nil {
		t.Errorf("dataDir() with no go.mod above = %q, want an error", got)
	}
}
