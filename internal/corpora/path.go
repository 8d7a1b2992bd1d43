package corpora

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Path returns the path of parts in the shared data folder, for a test whose
// evidence it is. Where that path is absent the test skips with the reason,
// or fails when VOCMINE_REQUIRE_CORPUS=1 (as .ci/run sets): a test that
// passes without its evidence proves nothing. The folder is
// $VOCMINE_BENCH_DATA, else ../shared/data beside the module root (the
// nearest folder above the working directory holding go.mod), so that the
// path does not depend on the test's package folder.
func Path(tb testing.TB, parts ...string) string {
	tb.Helper()
	dir, err := dataDir()
	if err == nil {
		p := filepath.Join(append([]string{dir}, parts...)...)
		if _, err = os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("VOCMINE_REQUIRE_CORPUS") == "1" {
		tb.Fatalf("shared corpus required (VOCMINE_REQUIRE_CORPUS=1): %v", err)
	}
	tb.Skipf("shared corpus not available, skipped (VOCMINE_REQUIRE_CORPUS=1 makes this a failure): %v", err)
	return ""
}

func dataDir() (string, error) {
	if d := os.Getenv("VOCMINE_BENCH_DATA"); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "data"), nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no go.mod above the working directory: cannot find ../shared/data")
		}
		dir = up
	}
}
