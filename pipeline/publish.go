package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// SuccessFile is written last into a published partition, as Hadoop's
// output committer does: readers may trust a partition that holds it.
const SuccessFile = "_SUCCESS"

// stage creates an empty staging folder beside the partition, on the same
// file system, so that publishing is a rename. It first removes the staging
// folders that killed runs of this partition left: the caller holds the
// partition's lock, so no live run owns them.
func stage(partition string) (string, error) {
	parent := filepath.Dir(partition)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("creating output folder: %w", err)
	}
	stale, _ := filepath.Glob(filepath.Join(parent, ".staging-"+filepath.Base(partition)+"-*"))
	for _, d := range stale {
		if err := os.RemoveAll(d); err != nil {
			return "", fmt.Errorf("removing a killed run's staging folder: %w", err)
		}
	}
	dir, err := os.MkdirTemp(parent, ".staging-"+filepath.Base(partition)+"-")
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
// nothing. The old run is then removed. Where the exchange is not supported,
// the old partition is renamed aside first, a short window without one.
func publish(staging, partition string) error {
	if err := writeSynced(filepath.Join(staging, SuccessFile), nil); err != nil {
		return err
	}
	if err := syncDir(staging); err != nil {
		return err
	}
	parent := filepath.Dir(partition)
	_, err := os.Stat(partition)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.Rename(staging, partition); err != nil {
			return fmt.Errorf("publishing %s: %w", partition, err)
		}
	case err != nil:
		return err
	default:
		if err := unix.Renameat2(unix.AT_FDCWD, staging, unix.AT_FDCWD, partition, unix.RENAME_EXCHANGE); err != nil {
			old := staging + ".old"
			if err := os.Rename(partition, old); err != nil {
				return fmt.Errorf("moving the previous run aside: %w", err)
			}
			if err := os.Rename(staging, partition); err != nil {
				os.Rename(old, partition)
				return fmt.Errorf("publishing %s: %w", partition, err)
			}
			staging = old
		}
		// staging now holds the previous run.
		if err := os.RemoveAll(staging); err != nil {
			return fmt.Errorf("removing the previous run: %w", err)
		}
	}
	return syncDir(parent)
}

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
