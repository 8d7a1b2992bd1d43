package partition

import (
	"log/slog"
	"os"
	"path/filepath"
)

// Work is a run's hold on a partition while it writes: the partition's
// lock, a temporary folder (flocked while the run lives) and a staging
// folder beside the partition, on its file system.
type Work struct {
	Dir     string // the run's folder: <output.dir>/_runs/run_date=YYYY-MM-DD
	Tmp     string // the run's temporary files (spilled ids)
	Staging string // the run's outputs until Publish

	// RemoveAll removes the previous run's folder once published and what
	// killed runs left (os.RemoveAll); tests make it fail, as another
	// owner's files would.
	RemoveAll func(string) error

	unlock  func()
	tmpLock *os.File
}

// Begin locks the partition dir (ErrLocked if another run holds it),
// removes what killed runs left beside it, and creates the run's temporary
// and staging folders. End undoes what Publish did
// not publish; Begin calls it on failure.
func Begin(dir string, log *slog.Logger) (*Work, error) {
	w := &Work{Dir: dir, RemoveAll: os.RemoveAll}
	if err := w.begin(log); err != nil {
		w.End()
		return nil, err
	}
	return w, nil
}

func (w *Work) begin(log *slog.Logger) (err error) {
	holder := holderText()
	if w.unlock, err = lockPartition(w.Dir, holder); err != nil {
		return err
	}
	if err := recoverCommits(filepath.Dir(w.Dir), w.Dir, w.RemoveAll, log); err != nil {
		return err
	}
	if err := cleanLeftovers(w.Dir, w.RemoveAll, log); err != nil {
		return err
	}
	if w.Tmp, w.tmpLock, err = openTemp(w.Dir, holder); err != nil {
		return err
	}
	w.Staging, err = stage(w.Dir)
	return err
}

// Publish commits the staged run (commit): its folder becomes Dir and each
// table's folder its partition; a reader of a table sees the previous run
// or this one, never a mix. A warning means published, but the previous
// run could not be removed. fault is called at each step (crash tests).
func (w *Work) Publish(fault func(string)) (warning, err error) {
	return commit(w.Staging, w.Dir, w.RemoveAll, fault)
}

// End removes the staging folder (nothing once published) and the
// temporary folder, and unlocks the partition. It may be called on a Work
// that Begin left half made.
func (w *Work) End() {
	if w.Staging != "" {
		os.RemoveAll(w.Staging)
	}
	if w.Tmp != "" {
		os.RemoveAll(w.Tmp)
	}
	if w.tmpLock != nil {
		w.tmpLock.Close()
	}
	if w.unlock != nil {
		w.unlock()
	}
}
