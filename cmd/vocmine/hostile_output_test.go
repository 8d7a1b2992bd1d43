package main

import (
	"errors"
	"fmt"
	"github.com/vocmine/vocmine/pipeline"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Hostile outputs (issue 15): an output.dir that leads into a published
// partition, a lock file deleted under a live run, a killed run's temporary
// files. Each runs the built binary, as a scheduler would.

// runIn runs the binary in the working folder dir.
func runIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return result{ee.ExitCode(), stderr.String()}
	case err != nil:
		t.Fatal(err)
	}
	return result{0, stderr.String()}
}

// TestHostileOutputIntoAPublishedPartition: output.dir through a symlink
// into a published partition, a path below it through a symlinked parent,
// and --out . from inside it are config errors (exit 78), and the
// published partition stays byte-identical: a rerun of its date would have
// deleted the partitions written inside it.
func TestHostileOutputIntoAPublishedPartition(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary: slow; run without -short")
	}
	conf := bigSurvey(t, 200)
	dir := filepath.Dir(conf)
	part := filepath.Join(dir, "out", "_runs", "run_date=2026-12-01")
	if r := runBinary(t, nil, "run", "--config", conf, "--date", "2026-12-01"); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	before := hashes(t, part, "")
	link := filepath.Join(dir, "link")
	if err := os.Symlink(part, link); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, cwd, out string }{
		{"a symlink to the partition", dir, link},
		{"a new folder through a symlinked parent", dir, filepath.Join(link, "nested", "out")},
		{"dot from inside the partition", part, "."},
	} {
		r := runIn(t, tt.cwd, "run", "--config", conf, "--date", "2026-12-02", "--out", tt.out)
		if r.code != pipeline.ExitConfig || !strings.Contains(r.stderr, "resolves into a run's partition") {
			t.Errorf("%s: exit %d, want %d naming the partition:\n%s", tt.name, r.code, pipeline.ExitConfig, r.stderr)
		}
		if after := hashes(t, part, ""); after != before {
			t.Errorf("%s: the published partition changed:\n%s", tt.name, after)
		}
	}
}

// TestHostileOutputDeletedLockFile: the lock file of a partition being
// written is deleted; a second run still exits 75 naming the holder, and
// the holder then publishes.
func TestHostileOutputDeletedLockFile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary: slow; run without -short")
	}
	conf := bigSurvey(t, 500)
	args := []string{"run", "--config", conf, "--date", "2026-12-03"}
	out := filepath.Join(filepath.Dir(conf), "out")
	holder := startAt(t, "publish", args...)
	if err := os.Remove(filepath.Join(out, "_runs", ".run_date=2026-12-03.lock")); err != nil {
		t.Fatal(err)
	}
	second := runBinary(t, nil, args...)
	if second.code != pipeline.ExitTempFail || !strings.Contains(second.stderr, fmt.Sprintf("pid %d", holder.Process.Pid)) {
		t.Errorf("second run: exit %d, want %d naming pid %d:\n%s", second.code, pipeline.ExitTempFail, holder.Process.Pid, second.stderr)
	}
	holder.Process.Signal(syscall.SIGUSR1)
	if err := holder.Wait(); err != nil {
		t.Errorf("holder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "_runs", "run_date=2026-12-03", "_SUCCESS")); err != nil {
		t.Errorf("the holder did not publish: %v", err)
	}
}

// TestHostileOutputKilledRunLeavesNoTempFiles: a run SIGKILLed while
// reading leaves its temporary folder (.tmp-run_date=...) and staging
// folder beside the partition, nothing in TMPDIR; the next run of the date
// removes both. (The binary has no knob to make the duplicate ids spill on
// a small input; pipeline.TestKilledRunTempFilesRemoved shows the spills
// live in that temporary folder.)
func TestHostileOutputKilledRunLeavesNoTempFiles(t *testing.T) {
	conf := bigSurvey(t, 500)
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	args := []string{"run", "--config", conf, "--date", "2026-12-04"}
	out := filepath.Join(filepath.Dir(conf), "out")
	killed := startAt(t, "read", args...)
	if left, _ := filepath.Glob(filepath.Join(out, "_runs", ".tmp-run_date=2026-12-04-*", "holder")); len(left) != 1 {
		t.Errorf("while reading: temporary folders %v, want one", left)
	}
	killed.Process.Signal(syscall.SIGKILL)
	killed.Wait()
	if r := runBinary(t, nil, args...); r.code != 0 {
		t.Fatalf("next run: exit %d\n%s", r.code, r.stderr)
	}
	entries, _ := os.ReadDir(filepath.Join(out, "_runs"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != ".run_date=2026-12-04.lock run_date=2026-12-04" {
		t.Errorf("after the next run _runs holds %v, want the lock file and the run", names)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("files left in TMPDIR: %v", left)
	}
}
