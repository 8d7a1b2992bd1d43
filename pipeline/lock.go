package pipeline

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

// lockPartition takes the one-writer lock of a partition: an flock on
// <output.dir>/.run_date=YYYY-MM-DD.lock. The kernel drops an flock when its
// process dies, so a lock left by a killed run is stale by construction and
// the next run takes it over; the file's text (pid, host, start) only names
// the holder in the message.
func lockPartition(partition string) (release func(), err error) {
	path := filepath.Join(filepath.Dir(partition), "."+filepath.Base(partition)+".lock")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("creating output folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening lock: %w", err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s is being written by another run (%s); retry when it ends", ErrLocked, partition, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	host, _ := os.Hostname()
	f.Truncate(0)
	fmt.Fprintf(f, "pid %d on %s since %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	return func() {
		unix.Flock(int(f.Fd()), unix.LOCK_UN)
		f.Close()
	}, nil
}
