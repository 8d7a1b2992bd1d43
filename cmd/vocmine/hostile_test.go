package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vocmine/vocmine/examples"
)

// The hostile suite (issue 15): each attack runs the built binary on a
// fixture generated at test time, as a scheduler would, and checks the exit
// code, the message, the peak memory of the process and that no temporary
// file is left behind. Each reader's attacks live in their own
// hostile_*_test.go file; this file holds the harness.

// hostileMaxRSS is the most memory a run on a hostile input may take.
//
// The child's peak RSS comes from wait4, and Linux counts in it the
// parent's own high-water mark at the fork (Go starts children with
// CLONE_VM, and exec keeps the larger of the two). So these tests must run
// while the test process is still small: before any test of this package
// that runs the pipeline in-process (under -race such runs took the test
// process to 2 GB). Go runs tests in file-name order: keep in-process run
// tests in files named after hostile_* (run_*.go, main_test.go ...).
// checkParentRSS says so when it fails.
const hostileMaxRSS = 1 << 30

// attack is one hostile run's outcome.
type attack struct {
	code   int
	stderr string
	maxRSS int64 // bytes, the process's peak resident set
	out    string
}

// hostileRun runs `vocmine run` on input with a config holding extra (YAML
// lines, such as "input:\n  path: x.xlsx\n  sheet: S\n"; "" names input
// alone; lexicons and output are added), in a
// fresh folder with its own TMPDIR, and fails the test when the process
// took more than hostileMaxRSS, ran past timeout (it is then killed), or
// left a file in TMPDIR. The config reads the default id, score and text
// columns with the telecom example's lexicon and writes to <dir>/out.
func hostileRun(t *testing.T, input, config string, timeout time.Duration) attack {
	t.Helper()
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	lex, _ := examples.FS.ReadFile("telecom/lexicon.yaml")
	if err := os.WriteFile(filepath.Join(dir, "lexicon.yaml"), lex, 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "vocmine.yaml")
	if config == "" {
		config = "input:\n  path: " + input + "\n"
	}
	config += "lexicons: [lexicon.yaml]\noutput:\n  dir: " + filepath.Join(dir, "out") + "\n"
	if err := os.WriteFile(conf, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, "run", "--config", conf, "--date", "2026-12-01")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	a := attack{stderr: stderr.String(), out: filepath.Join(dir, "out")}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("still running after %s: killed\n%s", timeout, a.stderr)
	case errors.As(err, &ee):
		a.code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		a.maxRSS = ru.Maxrss << 10 // KiB on Linux
	}
	if a.maxRSS > hostileMaxRSS {
		checkParentRSS(t)
		t.Errorf("peak RSS %d MB, over the %d MB a hostile input may take", a.maxRSS>>20, hostileMaxRSS>>20)
	}
	left, _ := os.ReadDir(tmp)
	for _, e := range left {
		t.Errorf("temporary file left behind: %s", e.Name())
	}
	t.Logf("exit %d, peak RSS %d MB", a.code, a.maxRSS>>20)
	return a
}

// TestHostileHarness: a good input publishes with exit 0 through the
// harness, so that an attack's failure is the attack's.
func TestHostileHarness(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "ok.csv")
	os.WriteFile(in, []byte("id,score,text\nR1,9,信号很好\nR2,3,资费太贵\n"), 0o644)
	a := hostileRun(t, in, "", time.Minute)
	if a.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", a.code, a.stderr)
	}
	if a.maxRSS == 0 {
		t.Error("peak RSS not measured")
	}
}

// checkParentRSS reports when the test process's own peak RSS is over
// hostileMaxRSS, which then makes every child's measure meaningless (see
// hostileMaxRSS).
func checkParentRSS(t *testing.T) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var n int64
			fmt.Sscan(strings.TrimSuffix(strings.TrimSpace(kb), " kB"), &n)
			if n<<10 > hostileMaxRSS {
				t.Errorf("the test process itself peaked at %d MB before this child ran, so the child's peak RSS cannot be measured: a test of this package ran the pipeline in-process before the hostile tests (see hostileMaxRSS)", n>>10)
			}
		}
	}
}
