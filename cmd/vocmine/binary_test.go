package main

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vocmine/vocmine/examples"
	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/table"
)

// These tests run the built binary, as a scheduler does.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vocmine-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "vocmine")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building vocmine: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// bigSurvey writes a survey of n rows built from the example's reasons, with
// its config, and returns the config's path.
func bigSurvey(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	lex, _ := examples.FS.ReadFile("telecom/lexicon.yaml")
	os.WriteFile(filepath.Join(dir, "lexicon.yaml"), lex, 0o644)
	src, _ := examples.FS.ReadFile("telecom/responses.csv")
	lines := strings.Split(strings.TrimSpace(string(src)), "\n")[1:]
	f, err := os.Create(filepath.Join(dir, "big.csv"))
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("id,score,text\n")
	for i := 0; i < n; i++ {
		fields := strings.SplitN(lines[i%len(lines)], ",", 4)
		score := fields[1]
		if score == "" || score == "十" || score == "11" || score == "8.5" {
			score = "7"
		}
		fmt.Fprintf(w, "B%07d,%s,\"%s\"\n", i, score, fields[2])
	}
	w.Flush()
	f.Close()
	conf := filepath.Join(dir, "vocmine.yaml")
	os.WriteFile(conf, []byte("input:\n  path: big.csv\nlexicons: [lexicon.yaml]\noutput:\n  dir: out\n"), 0o644)
	return conf
}

type result struct {
	code   int
	stderr string
}

func runBinary(t *testing.T, env []string, args ...string) result {
	t.Helper()
	code, stderr := exampletest.RunBinary(t, binary, env, args...)
	return result{code, stderr}
}

// startAt starts the binary with a fault point and waits until it is
// stopped there.
func startAt(t *testing.T, point string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "VOCMINE_FAULT_POINT="+point)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	reached := make(chan bool)
	go func() {
		sc := bufio.NewScanner(stderr)
		ok := false
		for sc.Scan() {
			if strings.Contains(sc.Text(), "fault point "+point+" reached") && !ok {
				ok = true
				reached <- true
			}
		}
		if !ok {
			reached <- false
		}
		io.Copy(io.Discard, stderr)
	}()
	select {
	case ok := <-reached:
		if !ok {
			t.Fatalf("the run ended before fault point %s", point)
		}
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("fault point %s not reached", point)
	}
	return cmd
}

// hashes lists the sha256 of every file under dir but skip and the work
// files (names starting with "."), by path.
func hashes(t *testing.T, dir string, skip string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || e.Name() == skip || strings.HasPrefix(e.Name(), ".") || strings.Contains(path, "/.") {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(&b, "%s %x\n", rel, sha256.Sum256(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCrashLeavesPreviousRun kills the binary with SIGKILL while it reads,
// after it wrote the row tables, and just before it replaces the partition:
// the previous partition stays byte-identical, no partial run gets a
// _SUCCESS, and a rerun succeeds with the same tables.
func TestCrashLeavesPreviousRun(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the binary at each fault point: slow; run without -short")
	}
	conf := bigSurvey(t, 60000)
	args := []string{"run", "--config", conf, "--date", "2026-11-10"}
	if r := runBinary(t, nil, args...); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	out := filepath.Join(filepath.Dir(conf), "out")
	part := filepath.Join(out, "_runs", "run_date=2026-11-10")
	before := hashes(t, out, "")
	for _, point := range []string{"read", "write", "publish"} {
		cmd := startAt(t, point, args...)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if after := hashes(t, out, ""); after != before {
			t.Errorf("killed at %s: the previous run changed", point)
		}
		partial, _ := filepath.Glob(filepath.Join(out, "_runs", ".staging-*", "_SUCCESS"))
		if len(partial) > 0 {
			t.Errorf("killed at %s: a partial run has _SUCCESS: %v", point, partial)
		}
	}
	if r := runBinary(t, nil, args...); r.code != 0 {
		t.Fatalf("rerun after crashes: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(part, "_SUCCESS")); err != nil {
		t.Errorf("rerun: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(out, "_runs", ".staging-*")); len(left) > 0 {
		t.Errorf("the rerun did not clean the killed runs' staging folders: %v", left)
	}
	// Deterministic: the rerun's tables equal the first run's, byte for byte.
	if strip(hashes(t, out, "manifest.json")) != strip(before) {
		t.Errorf("rerun tables differ from the first run:\n%s\n%s", hashes(t, out, "manifest.json"), before)
	}
}

// strip drops the manifest line, which holds timestamps.
func strip(h string) string {
	var keep []string
	for _, l := range strings.Split(h, "\n") {
		if !strings.Contains(l, "manifest.json ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// TestSIGTERM: an interrupted run exits 130, removes its staging folder
// and publishes nothing.
func TestSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("signals the binary: slow; run without -short")
	}
	conf := bigSurvey(t, 5000)
	cmd := startAt(t, "write", "run", "--config", conf, "--date", "2026-11-11")
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != pipeline.ExitSignal {
		t.Errorf("exit: %v, want %d", err, pipeline.ExitSignal)
	}
	out := filepath.Join(filepath.Dir(conf), "out")
	if left, _ := filepath.Glob(filepath.Join(out, "*", "*run_date=2026-11-11*")); len(left) != 1 || !strings.HasSuffix(left[0], ".lock") {
		t.Errorf("after SIGTERM the output holds %v, want only the lock file", left)
	}
}

// TestOneWriterPerPartition: two runs of one partition at once: exactly one
// publishes, the other exits 75 naming the holder. A holder killed with
// SIGKILL leaves a stale lock, which the next run takes over.
func TestOneWriterPerPartition(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary concurrently: slow; run without -short")
	}
	conf := bigSurvey(t, 2000)
	args := []string{"run", "--config", conf, "--date", "2026-11-12"}
	part := filepath.Join(filepath.Dir(conf), "out", "_runs", "run_date=2026-11-12")

	holder := startAt(t, "publish", args...)
	second := runBinary(t, nil, args...)
	if second.code != pipeline.ExitTempFail || !strings.Contains(second.stderr, fmt.Sprintf("pid %d", holder.Process.Pid)) {
		t.Errorf("second run: exit %d, want %d naming pid %d:\n%s", second.code, pipeline.ExitTempFail, holder.Process.Pid, second.stderr)
	}
	if _, err := os.Stat(part); err == nil {
		t.Error("the locked-out run published")
	}
	// Another date is not blocked.
	if r := runBinary(t, nil, "run", "--config", conf, "--date", "2026-11-13"); r.code != 0 {
		t.Errorf("another partition: exit %d\n%s", r.code, r.stderr)
	}
	holder.Process.Signal(syscall.SIGUSR1) // let the holder go on and publish
	if err := holder.Wait(); err != nil {
		t.Errorf("holder: %v", err)
	}
	if _, err := os.Stat(filepath.Join(part, "_SUCCESS")); err != nil {
		t.Errorf("the holder did not publish: %v", err)
	}

	killed := startAt(t, "publish", args...)
	killed.Process.Signal(syscall.SIGKILL)
	killed.Wait()
	if r := runBinary(t, nil, args...); r.code != 0 {
		t.Errorf("after the holder was killed: exit %d\n%s", r.code, r.stderr)
	}
}

// TestBinaryExitCodes checks every documented exit code with the binary.
func TestBinaryExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary once per exit code: slow; run without -short")
	}
	dir := t.TempDir()
	w := func(name, src string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(src), 0o644)
		return p
	}
	w("lex.yaml", "dimensions:\n  - name: 资费\n    terms: [资费]\n")
	w("in.csv", "id,score,text\nR1,9,资费便宜\n")
	w("bad.csv", "id,score,text\nR1,99,x\n")
	w("header.csv", "id,score,text\n")
	w("file", "not a folder")
	good := w("good.yaml", "input:\n  path: in.csv\nlexicons: [lex.yaml]\noutput:\n  dir: out\n")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"ok", []string{"run", "--config", good}, 0},
		{"usage", []string{"run", "--no-such-flag"}, 64},
		{"over the reject budget", []string{"run", "--config", good, "--input", filepath.Join(dir, "bad.csv")}, 65},
		{"input missing", []string{"run", "--config", good, "--input", filepath.Join(dir, "none.csv")}, 66},
		{"input empty", []string{"run", "--config", good, "--input", filepath.Join(dir, "header.csv")}, 66},
		{"I/O error", []string{"run", "--config", good, "--out", filepath.Join(dir, "file", "out")}, 74},
		{"bad config", []string{"run", "--config", w("bad.yaml", "inptu: {}\n")}, 78},
		{"bad lexicon", []string{"run", "--config", w("badlex.yaml", "input:\n  path: in.csv\nlexicons: [in.csv]\n")}, 78},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := runBinary(t, []string{"VOCMINE_OUTPUT_DIR=" + filepath.Join(dir, "env-out")}, tt.args...); r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tt.code, r.stderr)
			}
		})
	}
}

// TestBinaryAlertsFailOn: the built binary exits 3 when a published run's
// alerts against its baseline are ones alerts.fail_on fails on, and 0 with
// fail_on none (vocmine-beam's TestBinaryExitCodes holds the same cases).
func TestBinaryAlertsFailOn(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary four times: slow; run without -short")
	}
	dir := exampletest.AlertsSurvey(t)
	for failOn, want := range map[string]int{"none": pipeline.ExitOK, "bad": pipeline.ExitAlerts} {
		conf := filepath.Join(dir, failOn+".yaml")
		if r := runBinary(t, nil, "run", "--config", conf, "--date", "2026-10-01"); r.code != 0 {
			t.Fatalf("fail_on %s, the baseline night: exit %d\n%s", failOn, r.code, r.stderr)
		}
		r := runBinary(t, nil, "run", "--config", conf, "--input", filepath.Join(dir, "worse.csv"), "--date", "2026-11-01", "--baseline", "previous")
		if r.code != want {
			t.Errorf("fail_on %s, a worse night: exit %d, want %d\n%s", failOn, r.code, want, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "out-"+failOn, "_runs", "run_date=2026-11-01", "alerts.json")); err != nil {
			t.Errorf("fail_on %s: the night with alerts is not published: %v", failOn, err)
		}
	}
}

// TestSIGKILLDuringCommit kills the binary with SIGKILL at each step of the
// multi-table commit of a rerun of a published date: after the journal
// (before any rename), after the previous run's folder is moved aside,
// after the first, a middle and the last table, and after the run's folder
// is in place. Each time every table folder holds exactly one file, the
// first run's or the rerun's, byte for byte; a _SUCCESS stands only beside
// tables all of its run; and the next run finishes: every table the
// rerun's, nothing left in _runs but the run and its lock.
func TestSIGKILLDuringCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("kills the binary at each step of the commit: slow; run without -short")
	}
	conf := bigSurvey(t, 3000)
	dir := filepath.Dir(conf)
	first := filepath.Join(dir, "first.csv")
	data, _ := os.ReadFile(filepath.Join(dir, "big.csv"))
	lines := strings.SplitAfter(string(data), "\n")
	os.WriteFile(first, []byte(strings.Join(lines[:2001], "")), 0o644) // the header and 2,000 rows
	const date = "2026-11-20"
	// tablesOf reads the part file of every table of the date under out.
	tablesOf := func(out string) map[string]string {
		got := map[string]string{}
		dirs, _ := filepath.Glob(filepath.Join(out, "[^._]*", "run_date="+date))
		for _, d := range dirs {
			files, _ := os.ReadDir(d)
			if len(files) != 1 || files[0].Name() != table.PartFile {
				t.Fatalf("%s holds %v, want only %s", d, files, table.PartFile)
			}
			b, _ := os.ReadFile(filepath.Join(d, table.PartFile))
			got[filepath.Base(filepath.Dir(d))] = fmt.Sprintf("%x", sha256.Sum256(b))
		}
		return got
	}
	runTo := func(out, input string) map[string]string {
		if r := runBinary(t, nil, "run", "--config", conf, "--input", input, "--out", out, "--date", date); r.code != 0 {
			t.Fatalf("run into %s: exit %d\n%s", out, r.code, r.stderr)
		}
		return tablesOf(out)
	}
	old := runTo(filepath.Join(dir, "ref-first"), first)
	rerun := runTo(filepath.Join(dir, "ref-rerun"), filepath.Join(dir, "big.csv"))
	names := slices.Sorted(maps.Keys(rerun))
	if len(names) < 8 || fmt.Sprint(old) == fmt.Sprint(rerun) {
		t.Fatalf("the two runs' tables %v and %v should differ", old, rerun)
	}
	rowsRead := func(out string) (int64, bool) { // the run folder's manifest, if published
		run := filepath.Join(out, "_runs", "run_date="+date)
		if _, err := os.Stat(filepath.Join(run, "_SUCCESS")); err != nil {
			return 0, false
		}
		m, err := partition.ReadManifest(run)
		if err != nil {
			t.Fatal(err)
		}
		return m.Counts.Read, true
	}
	for _, point := range []string{"journal", "retire", "table:" + names[0], "table:" + names[len(names)/2], "table:" + names[len(names)-1], "run"} {
		t.Run(point, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			runTo(out, first)
			cmd := startAt(t, point, "run", "--config", conf, "--out", out, "--date", date)
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			got := tablesOf(out)
			read, published := rowsRead(out)
			for _, name := range names {
				switch got[name] {
				case old[name], rerun[name]:
				default:
					t.Errorf("killed at %s: %s holds neither run's file", point, name)
				}
				if published && read == 2000 && got[name] != old[name] || published && read == 3000 && got[name] != rerun[name] {
					t.Errorf("killed at %s: _SUCCESS of the run of %d rows beside %s of the other run", point, read, name)
				}
			}
			r := runBinary(t, nil, "run", "--config", conf, "--out", out, "--date", date)
			if r.code != 0 {
				t.Fatalf("the next run: exit %d\n%s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, "finished the commit of a run that was interrupted") {
				t.Errorf("killed at %s: the next run did not finish the interrupted commit from its journal:\n%s", point, r.stderr)
			}
			if got := tablesOf(out); fmt.Sprint(got) != fmt.Sprint(rerun) {
				t.Errorf("killed at %s, after the next run: tables %v, want the rerun's %v", point, got, rerun)
			}
			if read, ok := rowsRead(out); !ok || read != 3000 {
				t.Errorf("killed at %s, after the next run: published %v, %d rows read", point, ok, read)
			}
			entries, _ := os.ReadDir(filepath.Join(out, "_runs"))
			if len(entries) != 2 {
				t.Errorf("killed at %s, after the next run _runs holds %v, want the run and its lock", point, entries)
			}
		})
	}
}
