package partition

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/vocmine/vocmine/pipeline/table"
)

// The layout a published run leaves under output.dir (docs/OUTPUTS.md):
//
//	<table>/run_date=YYYY-MM-DD/part-00000.parquet   one folder per table
//	_runs/run_date=YYYY-MM-DD/                        manifest.json, report.html,
//	                                                  alerts.json, rejects.csv, _SUCCESS
//
// so that every engine reads a table as one dataset partitioned by
// run_date. A run is written flat into its staging folder (in _runs/) and
// committed by commit, in steps a journal records before the first rename
// (docs/RELIABILITY.md):
//
//  1. the staging folder is arranged: each <table>.parquet becomes
//     tables/<table>/part-00000.parquet, the other files go into run/ with
//     _SUCCESS, all synced;
//  2. the journal _runs/.commit-run_date=....json names the staging
//     folder, the inode of each staged folder, the tables of an earlier run
//     of the date that this run lacks, and where the earlier run's folder
//     goes; it is synced;
//  3. the earlier run's folder, if any, is moved aside (from here until
//     step 6 the date has no _SUCCESS);
//  4. each table's partition folder is exchanged with its staged one
//     (renameat2 RENAME_EXCHANGE), so a reader of a table sees the earlier
//     run's rows or this run's, never a mix;
//  5. the partition folders of the tables this run lacks are moved aside;
//  6. run/ becomes _runs/run_date=...: _SUCCESS appears last;
//  7. what was moved aside is removed, then the journal.
//
// Every step tells from inodes whether it is done, so replaying the journal
// after a crash at any point finishes the commit (recoverCommits): the
// staged files were complete and synced before the journal was written.

const (
	journalPrefix = ".commit-"
	stagedRun     = "run"    // in the staging folder: the run's own files
	stagedTables  = "tables" // in the staging folder: one folder per table
	movedAside    = "old"    // in the staging folder: the earlier run's table folders
)

// journal is the record of one commit, in _runs/.commit-<partition>.json.
type journal struct {
	Staging string        `json:"staging"` // the staging folder's name, in _runs
	OldRun  string        `json:"old_run"` // where the earlier run's folder goes, in _runs
	Run     uint64        `json:"run"`     // inode of the staged run/ folder
	Tables  []stagedTable `json:"tables"`  // in name order
	Drop    []string      `json:"drop"`    // tables of the earlier run that this one lacks
}

type stagedTable struct {
	Name  string `json:"name"`
	Inode uint64 `json:"inode"`
}

// journalPath is where the commit of the run folder runDir keeps its
// journal: _runs/.commit-<partition>.json.
func journalPath(runDir string) string {
	return filepath.Join(filepath.Dir(runDir), journalPrefix+filepath.Base(runDir)+".json")
}

func inode(path string) (uint64, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, false
	}
	return fi.Sys().(*syscall.Stat_t).Ino, true
}

// commit publishes the run staged in staging as runDir
// (<output.dir>/_runs/<partition>) and its tables; see the steps above.
// fault is called at each step's end ("journal", "retire", "table:<name>",
// "drop:<name>", "run") for the crash tests. A warning means published, but
// what was moved aside could not be removed.
func commit(staging, runDir string, removeAll func(string) error, fault func(string)) (warning, err error) {
	j, err := arrange(staging, runDir)
	if err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeSynced(journalPath(runDir), data); err != nil {
		return nil, err
	}
	if err := syncDir(filepath.Dir(runDir)); err != nil {
		return nil, err
	}
	fault("journal")
	if err := j.apply(runDir, fault); err != nil {
		return nil, err
	}
	return j.cleanUp(runDir, removeAll)
}

// arrange lays the flat staging folder out as commit publishes it and
// returns the journal of the commit.
func arrange(staging, runDir string) (*journal, error) {
	root := filepath.Dir(filepath.Dir(runDir))
	entries, err := os.ReadDir(staging)
	if err != nil {
		return nil, err
	}
	run, tables := filepath.Join(staging, stagedRun), filepath.Join(staging, stagedTables)
	for _, d := range []string{run, tables, filepath.Join(staging, movedAside)} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return nil, err
		}
	}
	j := &journal{Staging: filepath.Base(staging), OldRun: oldPrefix + strings.TrimPrefix(filepath.Base(staging), stagingPrefix)}
	for _, e := range entries {
		name, isTable := strings.CutSuffix(e.Name(), ".parquet")
		if !isTable {
			if err := os.Rename(filepath.Join(staging, e.Name()), filepath.Join(run, e.Name())); err != nil {
				return nil, err
			}
			continue
		}
		dir := filepath.Join(tables, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.Rename(filepath.Join(staging, e.Name()), filepath.Join(dir, table.PartFile)); err != nil {
			return nil, err
		}
		if err := syncDir(dir); err != nil {
			return nil, err
		}
		ino, _ := inode(dir)
		j.Tables = append(j.Tables, stagedTable{name, ino})
	}
	if err := writeSynced(filepath.Join(run, successFile), nil); err != nil {
		return nil, err
	}
	for _, d := range []string{run, tables, staging} {
		if err := syncDir(d); err != nil {
			return nil, err
		}
	}
	j.Run, _ = inode(run)
	// The tables an earlier run of this date wrote and this one does not
	// (changes without a baseline, order_test without input.order): their
	// partition would otherwise outlive the run it belongs to.
	others, _ := os.ReadDir(root)
	for _, e := range others {
		name := e.Name()
		if !e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
			slices.ContainsFunc(j.Tables, func(t stagedTable) bool { return t.Name == name }) {
			continue
		}
		if _, ok := inode(filepath.Join(root, name, filepath.Base(runDir))); ok {
			j.Drop = append(j.Drop, name)
		}
	}
	return j, nil
}

// apply does the renames of the commit that are not done yet.
func (j *journal) apply(runDir string, fault func(string)) error {
	runs := filepath.Dir(runDir)
	root, part, staging := filepath.Dir(runs), filepath.Base(runDir), filepath.Join(runs, j.Staging)
	if ino, ok := inode(runDir); ok && ino != j.Run {
		if err := os.Rename(runDir, filepath.Join(runs, j.OldRun)); err != nil {
			return fmt.Errorf("moving the previous run aside: %w", err)
		}
		if err := syncDir(runs); err != nil {
			return err
		}
	}
	fault("retire")
	for _, t := range j.Tables {
		target := filepath.Join(root, t.Name, part)
		if ino, _ := inode(target); ino != t.Inode {
			if err := swap(filepath.Join(staging, stagedTables, t.Name), target, filepath.Join(staging, movedAside, t.Name)); err != nil {
				return fmt.Errorf("publishing table %s: %w", t.Name, err)
			}
		}
		fault("table:" + t.Name)
	}
	for _, name := range j.Drop {
		target := filepath.Join(root, name, part)
		if _, ok := inode(target); ok {
			if err := os.Rename(target, filepath.Join(staging, movedAside, name)); err != nil {
				return fmt.Errorf("removing table %s of the previous run: %w", name, err)
			}
			if err := syncDir(filepath.Dir(target)); err != nil {
				return err
			}
		}
		fault("drop:" + name)
	}
	if ino, _ := inode(runDir); ino != j.Run {
		if err := os.Rename(filepath.Join(staging, stagedRun), runDir); err != nil {
			return fmt.Errorf("publishing %s: %w", runDir, err)
		}
		if err := syncDir(runs); err != nil {
			return err
		}
	}
	fault("run")
	return nil
}

// swap puts the staged folder at target: an atomic exchange with the
// earlier run's folder there, which ends in staged's place and is then
// moved to aside; a rename where there is none. Where the exchange is not
// supported, the earlier folder is moved aside first, a short window
// without one.
func swap(staged, target, aside string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	if _, ok := inode(target); !ok {
		if err := os.Rename(staged, target); err != nil {
			return err
		}
		return syncDir(filepath.Dir(target))
	}
	if err := unix.Renameat2(unix.AT_FDCWD, staged, unix.AT_FDCWD, target, unix.RENAME_EXCHANGE); err == nil {
		if err := syncDir(filepath.Dir(target)); err != nil {
			return err
		}
		return os.Rename(staged, aside)
	}
	if err := os.Rename(target, aside); err != nil {
		return err
	}
	if err := os.Rename(staged, target); err != nil {
		return err
	}
	return syncDir(filepath.Dir(target))
}

// cleanUp removes the staging folder (the earlier run's tables in it), the
// earlier run's folder and then the journal. A folder that cannot be
// removed is a warning: the run is published.
func (j *journal) cleanUp(runDir string, removeAll func(string) error) (warning, err error) {
	runs := filepath.Dir(runDir)
	var left []error
	for _, d := range []string{filepath.Join(runs, j.Staging), filepath.Join(runs, j.OldRun)} {
		if _, ok := inode(d); !ok {
			continue
		}
		if err := removeAll(d); err != nil {
			left = append(left, fmt.Errorf("%s: %w", d, err))
		}
	}
	if err := os.Remove(journalPath(runDir)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if len(left) > 0 {
		warning = fmt.Errorf("the previous run of %s could not be removed and is left (the next run of this date removes it): %w", runDir, errors.Join(left...))
	}
	return warning, syncDir(runs)
}

// recoverCommits finishes the commits that a crash interrupted under
// output.dir/_runs: those whose journal is left. own is the run folder
// whose lock the caller holds; any other is locked for the time of its
// recovery, and skipped while another run holds it.
func recoverCommits(runs, own string, removeAll func(string) error, log *slog.Logger) error {
	journals, _ := filepath.Glob(filepath.Join(runs, journalPrefix+"*.json"))
	for _, path := range journals {
		runDir := filepath.Join(runs, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(path), journalPrefix), ".json"))
		if runDir != own {
			release, err := lockPartition(runDir, holderText())
			if errors.Is(err, ErrLocked) {
				continue // its own run is live, or another run recovers it
			}
			if err != nil {
				return err
			}
			err = recoverCommit(path, runDir, removeAll, log)
			release()
			if err != nil {
				return err
			}
			continue
		}
		if err := recoverCommit(path, runDir, removeAll, log); err != nil {
			return err
		}
	}
	return nil
}

// recoverCommit replays the journal at path of the run folder runDir.
func recoverCommit(path, runDir string, removeAll func(string) error, log *slog.Logger) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // finished meanwhile
	}
	var j journal
	if err == nil {
		err = json.Unmarshal(data, &j)
	}
	if err != nil {
		return fmt.Errorf("reading the commit journal %s: %w", path, err)
	}
	if _, ok := inode(filepath.Join(filepath.Dir(runDir), j.Staging)); ok {
		if err := j.apply(runDir, func(string) {}); err != nil {
			return fmt.Errorf("finishing the interrupted commit of %s: %w", runDir, err)
		}
	}
	warning, err := j.cleanUp(runDir, removeAll)
	if err != nil {
		return err
	}
	log.Warn("finished the commit of a run that was interrupted while publishing", "run", runDir)
	if warning != nil {
		log.Warn("could not remove what the interrupted commit moved aside", "run", runDir, "error", warning)
	}
	return nil
}
