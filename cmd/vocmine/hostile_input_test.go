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
	if testing.Short() {
		t.Skip("runs the binary: slow; run without -short")
	}
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
	if _, err := os.Stat(filepath.Join(dir, "out", "_runs", "run_date=2026-12-01")); err == nil {
		t.Error("a partition was published after SIGTERM")
	}
}

// TestHostileInputChangedWhileRead: a file truncated, or replaced by
// another, while the binary reads it fails with exit 65 naming it, and
// publishes nothing (the issue measured a truncated file publishing half
// its rows with exit 0).
func TestHostileInputChangedWhileRead(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on big inputs: slow; run without -short")
	}
	for _, change := range []string{"truncated", "replaced"} {
		t.Run(change, func(t *testing.T) {
			conf := bigSurvey(t, 600_000)
			dir := filepath.Dir(conf)
			input := filepath.Join(dir, "big.csv")
			cmd := exec.Command(binary, "run", "--config", conf, "--date", "2026-12-01")
			tmp := t.TempDir()
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			var log strings.Builder
			reading := make(chan bool, 1)
			go func() {
				buf := make([]byte, 4096)
				for {
					n, err := stderr.Read(buf)
					log.Write(buf[:n])
					if strings.Contains(log.String(), "input encoding") {
						select {
						case reading <- true:
						default:
						}
					}
					if err != nil {
						close(reading)
						return
					}
				}
			}()
			select {
			case ok := <-reading:
				if !ok {
					t.Fatalf("the run ended before reading\n%s", log.String())
				}
			case <-time.After(2 * time.Minute):
				t.Fatal("the run did not start reading")
			}
			switch change {
			case "truncated":
				fi, _ := os.Stat(input)
				if err := os.Truncate(input, fi.Size()/2); err != nil {
					t.Fatal(err)
				}
			case "replaced":
				other := filepath.Join(dir, "other.csv")
				os.WriteFile(other, []byte("id,score,text\nX1,9,另一个文件\n"), 0o644)
				if err := os.Rename(other, input); err != nil {
					t.Fatal(err)
				}
			}
			err = cmd.Wait()
			code := cmd.ProcessState.ExitCode()
			for range reading { // the log, to its end
			}
			if code != 65 || !strings.Contains(log.String(), "input changed while it was read") || !strings.Contains(log.String(), "big.csv") {
				t.Errorf("exit %d, want 65 naming big.csv as changed while read\n%s", code, log.String())
			}
			if _, err := os.Stat(filepath.Join(dir, "out", "_runs", "run_date=2026-12-01")); err == nil {
				t.Error("a partition was published from a file that changed while it was read")
			}
			if left, _ := os.ReadDir(tmp); len(left) > 0 {
				t.Errorf("temporary files left behind: %v", left)
			}
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru.Maxrss<<10 > hostileMaxRSS {
				t.Errorf("peak RSS %d MB", ru.Maxrss>>10)
			}
		})
	}
}
