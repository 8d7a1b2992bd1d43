package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/pipeline"
)

// These tests run the built vocmine-beam, as a scheduler does, and expect
// vocmine's exit codes (cmd/vocmine's binary tests hold the same cases).

var binary string // built by TestMain

func runBinary(t *testing.T, env []string, args ...string) (int, string) {
	t.Helper()
	return exampletest.RunBinary(t, binary, env, args...)
}

// TestBinaryExitCodes: vocmine-beam exits as vocmine does: 0, 64 for a
// usage error (it was the flag package's 2), 66, 78, and 3 when a
// published run's alerts are ones alerts.fail_on fails on (it was 0).
func TestBinaryExitCodes(t *testing.T) {
	dir := exampletest.AlertsSurvey(t)
	conf := func(name string) string { return filepath.Join(dir, name+".yaml") }
	for _, tc := range []struct {
		name string
		args []string
		code int
	}{
		{"ok", []string{"--config", conf("bad"), "--date", "2026-10-01"}, pipeline.ExitOK},
		{"alerts, fail_on none", []string{"--config", conf("none"), "--date", "2026-10-01"}, pipeline.ExitOK},
		{"alerts, fail_on bad", []string{"--config", conf("bad"), "--input", filepath.Join(dir, "worse.csv"), "--date", "2026-11-01", "--baseline", "previous"}, pipeline.ExitAlerts},
		{"no alert fails fail_on none", []string{"--config", conf("none"), "--input", filepath.Join(dir, "worse.csv"), "--date", "2026-11-01", "--baseline", "previous"}, pipeline.ExitOK},
		{"usage", []string{"--no-such-flag"}, pipeline.ExitUsage},
		{"no config", nil, pipeline.ExitConfig},
		{"input missing", []string{"--config", conf("bad"), "--input", filepath.Join(dir, "none.csv")}, pipeline.ExitNoInput},
		{"input empty", []string{"--config", conf("bad"), "--input", filepath.Join(dir, "empty.csv")}, pipeline.ExitNoInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, stderr := runBinary(t, nil, tc.args...); code != tc.code {
				t.Errorf("exit %d, want %d\n%s", code, tc.code, stderr)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "out-bad", "_runs", "run_date=2026-11-01", "alerts.json")); err != nil {
		t.Errorf("the run whose alerts exit 3 is not published: %v", err)
	}
}

// TestBinarySIGTERM: vocmine-beam interrupted before it publishes exits
// 130, as vocmine does, and leaves no partition and no work folder.
func TestBinarySIGTERM(t *testing.T) {
	dir := exampletest.AlertsSurvey(t)
	cmd := exec.Command(binary, "--config", filepath.Join(dir, "bad.yaml"), "--date", "2026-11-11")
	cmd.Env = append(os.Environ(), "VOCMINE_FAULT_POINT=publish")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reached := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		ok := false
		for sc.Scan() {
			if !ok && strings.Contains(sc.Text(), "fault point publish reached") {
				ok = true
				reached <- true
			}
		}
		if !ok {
			reached <- false
		}
	}()
	select {
	case ok := <-reached:
		if !ok {
			cmd.Wait()
			t.Fatal("vocmine-beam ended before its fault point")
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatal("vocmine-beam did not reach its fault point in 2 minutes")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != pipeline.ExitSignal {
		t.Errorf("exit: %v, want %d", err, pipeline.ExitSignal)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "out-bad", "*", "*run_date=2026-11-11*"))
	if len(left) != 1 || !strings.HasSuffix(left[0], ".lock") {
		t.Errorf("after SIGTERM the output holds %v, want only the lock file", left)
	}
}
