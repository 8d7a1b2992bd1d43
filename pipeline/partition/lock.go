package partition

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// ErrLocked means another run holds the partition: retry later. Exit 75.
var ErrLocked = errors.New("partition locked")

// holderText names a run in a lock's message: pid, host and start.
func holderText() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("pid %d on %s since %s", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
}

// lockFile is the one-writer lock of a partition:
// <output.dir>/.run_date=YYYY-MM-DD.lock.
func lockFile(partition string) string {
	return filepath.Join(filepath.Dir(partition), "."+filepath.Base(partition)+".lock")
}

// lockPartition takes the one-writer lock of a partition: an flock on its
// lock file, whose text (holder) names the holder in a second run's message.
// The kernel drops an flock when its process dies, so a lock left by a
// killed run is stale by construction and the next run takes it over.
//
// Why a lock file and not an flock on output.dir itself: that would also
// lock every other date. A file can be deleted under its holder, though; two
// defences. Here: after taking the flock, the path must still name the file
// locked (fstat against stat), else the lock is on a deleted file and is
// taken again, so that two runs racing with a deletion cannot both win.
// And a live run also holds an flock on its temporary folder (openTemp),
// which cleanLeftovers finds when the lock file was deleted while the run
// went on: the second run then gets ErrLocked instead of deleting the live
// run's staging folder.
func lockPartition(partition, holder string) (release func(), err error) {
	path := lockFile(partition)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("creating output folder: %w", err)
	}
	for attempt := 0; ; attempt++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("opening lock: %w", err)
		}
		if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
			text := make([]byte, 512)
			n, _ := f.ReadAt(text, 0)
			f.Close()
			if errors.Is(err, unix.EWOULDBLOCK) {
				return nil, fmt.Errorf("%w: %s is being written by another run (%s); retry when it ends", ErrLocked, partition, strings.TrimSpace(string(text[:n])))
			}
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if same, err := samePath(f, path); err != nil || !same {
			f.Close()
			if attempt < 10 {
				continue // deleted or replaced between the open and the flock
			}
			return nil, fmt.Errorf("locking %s: the lock file keeps being replaced", path)
		}
		f.Truncate(0)
		f.WriteAt([]byte(holder+"\n"), 0)
		return func() {
			unix.Flock(int(f.Fd()), unix.LOCK_UN)
			f.Close()
		}, nil
	}
}

// samePath reports whether path still names the open file f.
func samePath(f *os.File, path string) (bool, error) {
	var open, named unix.Stat_t
	if err := unix.Fstat(int(f.Fd()), &open); err != nil {
		return false, err
	}
	if err := unix.Stat(path, &named); err != nil {
		return false, err
	}
	return open.Dev == named.Dev && open.Ino == named.Ino, nil
}

// flockDir takes an flock on a folder without waiting; the returned file
// holds it until closed. busy says another open file holds it.
func flockDir(dir string) (f *os.File, busy bool, err error) {
	if f, err = os.Open(dir); err != nil {
		return nil, false, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, errors.Is(err, unix.EWOULDBLOCK), err
	}
	return f, false, nil
}
