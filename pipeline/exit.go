package pipeline

import (
	"errors"
	"io/fs"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/source"
)

// Exit codes, sysexits-style, for schedulers (docs/RELIABILITY.md): the
// same for every engine's binary.
const (
	ExitOK       = 0
	ExitFailure  = 1  // anything else
	ExitAlerts   = 3  // published, with alerts that alerts.fail_on fails on (ErrAlerts)
	ExitDataErr  = 65 // EX_DATAERR: an input is not a readable table, or over the reject budget
	ExitNoInput  = 66 // EX_NOINPUT: input.path matched nothing, or no row, or the named baseline is missing
	ExitSoftware = 70 // EX_SOFTWARE: a bug, such as counts that do not reconcile
	ExitIOErr    = 74 // EX_IOERR: reading or writing failed
	ExitTempFail = 75 // EX_TEMPFAIL: the partition is being written by another run; retry later
	ExitConfig   = 78 // EX_CONFIG: bad config or lexicon
)

// ErrAlerts means the run was published and its alerts against the
// baseline are ones alerts.fail_on fails on (exit 3): look at alerts.json,
// do not rerun.
var ErrAlerts = errors.New("alerts against the baseline (alerts.fail_on; see alerts.json)")

// ExitCode maps a run's error to its exit code.
func ExitCode(err error) int {
	var perr *fs.PathError
	switch {
	case err == nil:
		return ExitOK
	case errors.Is(err, ErrAlerts):
		return ExitAlerts
	case errors.Is(err, config.ErrInvalid), errors.Is(err, ErrLexicon):
		return ExitConfig
	case errors.Is(err, source.ErrNoInput), errors.Is(err, partition.ErrNoBaseline):
		return ExitNoInput
	case errors.Is(err, source.ErrInput), errors.Is(err, ErrOverBudget):
		return ExitDataErr
	case errors.Is(err, partition.ErrLocked):
		return ExitTempFail
	case errors.Is(err, partition.ErrCountMismatch):
		return ExitSoftware
	case errors.As(err, &perr):
		return ExitIOErr
	}
	return ExitFailure
}
