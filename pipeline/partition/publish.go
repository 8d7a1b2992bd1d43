package partition

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// successFile is written last into a published run's folder, as Hadoop's
// output committer does: readers may trust a run that holds it.
const successFile = "_SUCCESS"

// A run's work folders, beside its folder in output.dir/_runs, each named
// <prefix><partition>-<random> (readers skip names starting with "."):
//
//	.tmp-     a run's temporary files (the spilled duplicate ids) and the
//	          holder text; the run holds an flock on it while it lives
//	.staging- the run being written; commit publishes it, and moves the
//	          previous run's tables into it
//	.old-     the previous run's folder, moved aside by commit and then
//	          removed; left only when that removal failed
//
// A killed run leaves its .tmp- and .staging- folders, a publish whose
// removal failed its .old- folder: the next run of the partition removes
// them all (cleanLeftovers), after finishing an interrupted commit
// (recoverCommits).
const (
	tmpPrefix     = ".tmp-"
	stagingPrefix = ".staging-"
	oldPrefix     = ".old-"
	holderFile    = "holder"
)

// cleanLeftovers removes the work folders that killed runs of the
// partition, or a publish that could not remove the previous run, left
// beside it. The caller holds the partition's lock file, so no live run
// owns them, with one exception: the lock file was deleted while a run went
// on. That run still holds the flock on its .tmp- folder, so such a folder
// means the partition is locked (ErrLocked, naming the holder) and nothing
// is removed. A folder that cannot be removed (another owner's files, a
// read-only subfolder) is logged as a warning and left: it does not stop
// this run, which uses new names, and the next run tries again.
func cleanLeftovers(partition string, removeAll func(string) error, log *slog.Logger) error {
	parent, base := filepath.Dir(partition), filepath.Base(partition)
	tmps, _ := filepath.Glob(filepath.Join(parent, tmpPrefix+base+"-*"))
	var locks []*os.File
	defer func() {
		for _, f := range locks {
			f.Close()
		}
	}()
	for _, d := range tmps {
		f, busy, err := flockDir(d)
		if busy {
			holder, _ := os.ReadFile(filepath.Join(d, holderFile))
			return fmt.Errorf("%w: %s is being written by another run (%s), although its lock file %s was deleted or replaced; retry when it ends",
				ErrLocked, partition, strings.TrimSpace(string(holder)), lockFile(partition))
		}
		if err == nil {
			locks = append(locks, f) // held while removing, so no run can start with it
		}
	}
	staged, _ := filepath.Glob(filepath.Join(parent, stagingPrefix+base+"-*"))
	olds, _ := filepath.Glob(filepath.Join(parent, oldPrefix+base+"-*"))
	for _, d := range slices.Concat(tmps, staged, olds) {
		if err := removeAll(d); err != nil {
			log.Warn("could not remove a folder a previous run of this partition left; going on without it (remove it by hand)", "folder", d, "error", err)
		}
	}
	return nil
}

// openTemp creates the run's temporary folder beside the partition, writes
// the holder text into it and holds an flock on it until the returned file
// is closed.
func openTemp(partition, holder string) (dir string, lock *os.File, err error) {
	parent := filepath.Dir(partition)
	if dir, err = os.MkdirTemp(parent, tmpPrefix+filepath.Base(partition)+"-"); err != nil {
		return "", nil, fmt.Errorf("creating temporary folder: %w", err)
	}
	if lock, _, err = flockDir(dir); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("locking temporary folder: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, holderFile), []byte(holder+"\n"), 0o644); err != nil {
		lock.Close()
		os.RemoveAll(dir)
		return "", nil, err
	}
	return dir, lock, nil
}

// stage creates an empty staging folder beside the partition, on the same
// file system, so that publishing is a rename.
func stage(partition string) (string, error) {
	dir, err := os.MkdirTemp(filepath.Dir(partition), stagingPrefix+filepath.Base(partition)+"-")
	if err != nil {
		return "", fmt.Errorf("creating staging folder: %w", err)
	}
	// MkdirTemp makes it private (0700); a published partition is shared.
	if err := os.Chmod(dir, 0o755); err != nil {
		return "", err
	}
	return dir, nil
}

// writeSynced writes a file and syncs it to disk.
func writeSynced(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}
