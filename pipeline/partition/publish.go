package partition

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/sys/unix"
)

// successFile is written last into a published partition, as Hadoop's
// output committer does: readers may trust a partition that holds it.
const successFile = "_SUCCESS"

// A partition's work folders, beside it in output.dir, each named
// <prefix><partition>-<random> (readers skip names starting with "."):
//
//	.tmp-     a run's temporary files (the spilled duplicate ids) and the
//	          holder text; the run holds an flock on it while it lives
//	.staging- the run being written; it becomes the partition when published
//	.old-     the previous run, exchanged out of the partition and then
//	          removed; left only when that removal failed
//
// A killed run leaves its .tmp- and .staging- folders, a publish whose
// removal failed its .old- folder: the next run of the partition removes
// them all (cleanLeftovers).
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

// publish makes the staged run visible at partition in one step: _SUCCESS
// is written and synced, then the staging folder replaces the partition by
// an atomic exchange of the two names (renameat2 RENAME_EXCHANGE), so a
// reader sees the old complete run or the new complete run, never a mix or
// nothing. The old run, renamed .old-..., is then removed. Where the
// exchange is not supported, the old partition is renamed aside first, a
// short window without one.
//
// Once the names are exchanged the new run is published, whatever follows:
// if the old run cannot be removed (another owner's files in it, a
// read-only subfolder), publish returns no error but a warning naming the
// folder left, and the run exits 0, so that a scheduler does not rerun a
// published night believing it failed; the next run of the partition
// removes the folder (cleanLeftovers). A failed sync of the output folder
// after the exchange is still an error (exit 74): the exchange may not
// survive a crash, and a rerun is harmless.
func publish(staging, partition string, removeAll func(string) error) (warning, err error) {
	if err := writeSynced(filepath.Join(staging, successFile), nil); err != nil {
		return nil, err
	}
	if err := syncDir(staging); err != nil {
		return nil, err
	}
	parent := filepath.Dir(partition)
	_, err = os.Stat(partition)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.Rename(staging, partition); err != nil {
			return nil, fmt.Errorf("publishing %s: %w", partition, err)
		}
	case err != nil:
		return nil, err
	default:
		old := filepath.Join(parent, oldPrefix+strings.TrimPrefix(filepath.Base(staging), stagingPrefix))
		if err := unix.Renameat2(unix.AT_FDCWD, staging, unix.AT_FDCWD, partition, unix.RENAME_EXCHANGE); err == nil {
			// staging now holds the previous run, with its _SUCCESS: give
			// it a name no one mistakes for a run being written.
			if err := os.Rename(staging, old); err != nil {
				old = staging
			}
		} else {
			if err := os.Rename(partition, old); err != nil {
				return nil, fmt.Errorf("moving the previous run aside: %w", err)
			}
			if err := os.Rename(staging, partition); err != nil {
				os.Rename(old, partition)
				return nil, fmt.Errorf("publishing %s: %w", partition, err)
			}
		}
		if err := removeAll(old); err != nil {
			warning = fmt.Errorf("the previous run of %s could not be removed and is left in %s (the next run of this date removes it): %w", partition, old, err)
		}
	}
	return warning, syncDir(parent)
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
