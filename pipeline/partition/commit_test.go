package partition

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/pipeline/table"
)

// crash stands for the process dying at a fault point.
type crash struct{ point string }

// stageRun writes a run into a new staging folder of run: one file per
// table, its contents naming the run, and a manifest.
func stageRun(t *testing.T, run, name string, tables ...string) string {
	t.Helper()
	staging, err := stage(run)
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		os.WriteFile(filepath.Join(staging, tb+".parquet"), []byte(name+":"+tb), 0o644)
	}
	os.WriteFile(filepath.Join(staging, "manifest.json"), []byte(name), 0o644)
	return staging
}

// tableRuns says which run each table folder of root holds for the date:
// "" for none; it fails the test on a folder holding anything but its one
// part file.
func tableRuns(t *testing.T, root, part string, tables []string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, tb := range tables {
		dir := filepath.Join(root, tb, part)
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			got[tb] = ""
			continue
		}
		if len(entries) != 1 || entries[0].Name() != table.PartFile {
			t.Fatalf("%s holds %v, want only %s", dir, entries, table.PartFile)
		}
		b, _ := os.ReadFile(filepath.Join(dir, table.PartFile))
		run, ok := strings.CutSuffix(string(b), ":"+tb)
		if !ok {
			t.Fatalf("%s holds %q, not a table of one run", dir, b)
		}
		got[tb] = run
	}
	return got
}

// TestCommitCrashAtEveryStep: a run replaces an earlier run of its date
// that had a table more (changes); the process dies after each step of the
// commit. Every table folder then holds exactly one run's file, the date's
// _SUCCESS is there only when every table is the new run's, and the next
// run's start (recoverCommits) finishes the commit: every table the new
// run's, the dropped table gone, no journal, staging or old folder left.
func TestCommitCrashAtEveryStep(t *testing.T) {
	newTables := []string{"mentions", "nps", "responses"}
	all := append(slices.Clone(newTables), "changes")
	points := []string{"journal", "retire", "table:mentions", "table:nps", "table:responses", "drop:changes", "run"}
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			root := t.TempDir()
			run := filepath.Join(root, "_runs", "run_date=2026-12-01")
			os.MkdirAll(filepath.Dir(run), 0o755)
			if _, err := commit(stageRun(t, run, "old", all...), run, os.RemoveAll, func(string) {}); err != nil {
				t.Fatal(err)
			}
			staging := stageRun(t, run, "new", newTables...)
			func() {
				defer func() {
					if r := recover(); r != nil && r != (crash{point}) {
						panic(r)
					}
				}()
				commit(staging, run, os.RemoveAll, func(p string) {
					if p == point {
						panic(crash{point})
					}
				})
				t.Fatalf("the commit never reached %s", point)
			}()
			runs := tableRuns(t, root, "run_date=2026-12-01", all)
			_, success := inode(filepath.Join(run, successFile))
			m, _ := os.ReadFile(filepath.Join(run, "manifest.json"))
			for _, tb := range newTables {
				if runs[tb] != "old" && runs[tb] != "new" {
					t.Errorf("after a crash at %s, %s holds %q", point, tb, runs[tb])
				}
				if success && runs[tb] != string(m) {
					t.Errorf("after a crash at %s, _SUCCESS of the %q run beside %s of the %q run", point, m, tb, runs[tb])
				}
			}
			var log bytes.Buffer
			if err := recoverCommits(filepath.Dir(run), "", os.RemoveAll, slog.New(slog.NewTextHandler(&log, nil))); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"mentions": "new", "nps": "new", "responses": "new", "changes": ""}
			if got := tableRuns(t, root, "run_date=2026-12-01", all); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("after recovery: %v, want %v", got, want)
			}
			if m, _ := os.ReadFile(filepath.Join(run, "manifest.json")); string(m) != "new" {
				t.Errorf("after recovery the run folder holds the %q run", m)
			}
			if _, ok := inode(filepath.Join(run, successFile)); !ok {
				t.Error("after recovery there is no _SUCCESS")
			}
			if left, _ := filepath.Glob(filepath.Join(root, "_runs", ".[cost]*-*")); len(left) > 0 { // .commit-, .old-, .staging-, .tmp-
				t.Errorf("after recovery %v are left", left)
			}
			if !strings.Contains(log.String(), "interrupted") {
				t.Errorf("recovery did not say so: %s", log.String())
			}
		})
	}
}

// TestRecoverSkipsALiveRun: a journal of a date whose lock another run
// holds is left to that run.
func TestRecoverSkipsALiveRun(t *testing.T) {
	root := t.TempDir()
	run := filepath.Join(root, "_runs", "run_date=2026-12-01")
	os.MkdirAll(filepath.Dir(run), 0o755)
	staging := stageRun(t, run, "new", "nps")
	func() {
		defer func() { recover() }()
		commit(staging, run, os.RemoveAll, func(p string) { panic(crash{p}) })
	}()
	release, err := lockPartition(run, "the live run")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := recoverCommits(filepath.Dir(run), "", os.RemoveAll, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if j, _ := filepath.Glob(filepath.Join(root, "_runs", journalPrefix+"*")); len(j) != 1 {
		t.Errorf("the live run's journal: %v, want it left alone", j)
	}
}
