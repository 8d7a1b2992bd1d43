package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestHostileInputFIFO: `mkfifo f.csv; vocmine run` with nobody writing
// used to wait for ever, deaf to SIGTERM. A FIFO is now refused at once
// (exit 65, naming it); with input.special_files it is waited on, and
// SIGTERM ends the wait.
func TestHostileInputFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "f.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO here: %v", err)
	}
	a := hostileRun(t, fifo, "", 20*time.Second)
	if a.code != 65 || !strings.Contains(a.stderr, fifo) || !strings.Contains(a.stderr, "not a regular file") {
		t.Errorf("exit %d, want 65 naming %s as not a regular file\n%s", a.code, fifo, a.stderr)
	}

	dir := t.TempDir()
	lex, _ := os.ReadFile(filepath.Join("..", "..", "examples", "telecom", "lexicon.yaml"))
	os.WriteFile(filepath.Join(dir, "lexicon.yaml"), lex, 0o644)
	conf := filepath.Join(dir, "vocmine.yaml")
	os.WriteFile(conf, []byte("input:\n  path: "+fifo+"\n  special_files: true\nlexicons: [lexicon.yaml]\noutput:\n  dir: "+filepath.Join(dir, "out")+"\n"), 0o644)
	cmd := exec.Command(binary, "run", "--config", conf, "--date", "2026-12-01")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1500 * time.Millisecond) // loading, then waiting for the writer
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		if cmd.ProcessState.ExitCode() == 0 {
			t.Errorf("exit 0 after SIGTERM while waiting on a FIFO\n%s", stderr.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("still waiting on the FIFO 10 s after SIGTERM\n%s", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "run_date=2026-12-01")); err == nil {
		t.Error("a partition was published after SIGTERM")
	}
}
