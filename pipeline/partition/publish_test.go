package partition

import (
	"bytes"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// failRemove fails as os.RemoveAll does on a folder holding another
// owner's files.
func failRemove(path string) error {
	return &fs.PathError{Op: "unlinkat", Path: filepath.Join(path, "theirs", "f"), Err: syscall.EACCES}
}

// unremovable makes a folder in dir that a non-root user cannot remove (a
// read-only subfolder holding a file) and returns the remove function that
// fails on it: os.RemoveAll for a non-root user, failRemove for root, whom
// permissions do not stop.
func unremovable(t *testing.T, dir string) func(string) error {
	t.Helper()
	sub := filepath.Join(dir, "theirs")
	os.MkdirAll(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "f"), []byte("x"), 0o644)
	os.Chmod(sub, 0o555)
	t.Cleanup(func() { os.Chmod(sub, 0o755) })
	if os.Geteuid() == 0 {
		return failRemove
	}
	return os.RemoveAll
}

// TestPublishLeavesUnremovableOldRun: once the run's folder is in place
// the new run is published; a previous run that cannot be removed is a
// warning naming the folder left (exit 0), not an error (it was exit 74,
// with the new run already published).
func TestPublishLeavesUnremovableOldRun(t *testing.T) {
	out := t.TempDir()
	run := filepath.Join(out, "_runs", "run_date=2026-12-01")
	os.MkdirAll(run, 0o755)
	os.WriteFile(filepath.Join(run, "v"), []byte("old"), 0o644)
	remove := unremovable(t, run)
	staging, err := stage(run)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(staging, "v"), []byte("new"), 0o644)
	warning, err := commit(staging, run, remove, func(string) {})
	if err != nil {
		t.Fatalf("commit: %v, want a warning only: the new run is published", err)
	}
	if v, _ := os.ReadFile(filepath.Join(run, "v")); string(v) != "new" {
		t.Errorf("the run folder holds %q, want the new run", v)
	}
	left, _ := filepath.Glob(filepath.Join(out, "_runs", ".old-run_date=2026-12-01-*"))
	if warning == nil || len(left) != 1 || !strings.Contains(warning.Error(), left[0]) {
		t.Errorf("warning %v, left %v: want a warning naming the one .old- folder left", warning, left)
	}
	if j, _ := filepath.Glob(filepath.Join(out, "_runs", ".commit-*")); len(j) > 0 {
		t.Errorf("the journal of a published run is left: %v", j)
	}
}

// TestUnremovableLeftoverDoesNotStopTheNextRun: a folder a previous run of
// the partition left that cannot be removed is a warning: the next run
// goes on (it failed every later run of the date).
func TestUnremovableLeftoverDoesNotStopTheNextRun(t *testing.T) {
	out := t.TempDir()
	part := filepath.Join(out, "run_date=2026-12-01")
	var remove func(string) error
	for _, name := range []string{".old-run_date=2026-12-01-1", ".staging-run_date=2026-12-01-2", ".tmp-run_date=2026-12-01-3"} {
		remove = unremovable(t, filepath.Join(out, name))
	}
	var log bytes.Buffer
	if err := cleanLeftovers(part, remove, slog.New(slog.NewTextHandler(&log, nil))); err != nil {
		t.Fatalf("cleanLeftovers: %v, want warnings only", err)
	}
	if n := strings.Count(log.String(), "level=WARN"); n != 3 {
		t.Errorf("%d warnings, want one per folder left:\n%s", n, log.String())
	}
	if _, err := stage(part); err != nil {
		t.Errorf("stage after unremovable leftovers: %v", err)
	}
}

// TestLockSamePath: a lock file deleted or replaced between a run's open
// and its flock no longer names the file the run locked, which must then
// lock again (two runs racing with a deletion would both hold a lock).
func TestLockSamePath(t *testing.T) {
	part := filepath.Join(t.TempDir(), "run_date=2026-12-01")
	os.MkdirAll(filepath.Dir(part), 0o755)
	path := lockFile(part)
	os.WriteFile(path, nil, 0o644)
	opened, err := os.Open(path) // a run's open, before the deletion
	if err != nil {
		t.Fatal(err)
	}
	defer opened.Close()
	os.Remove(path)
	release, err := lockPartition(part, "the run after the deletion")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if same, _ := samePath(opened, path); same {
		t.Error("the deleted lock file still counts as the partition's lock")
	}
	if _, err := lockPartition(part, "another"); !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), "the run after the deletion") {
		t.Errorf("another run: %v, want ErrLocked naming the holder", err)
	}
}
