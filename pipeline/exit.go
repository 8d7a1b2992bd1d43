package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/source"
)

// Exit codes, sysexits-style, for schedulers (docs/RELIABILITY.md): the
// same for every engine's binary.
const (
	ExitOK       = 0
	ExitFailure  = 1   // anything else
	ExitAlerts   = 3   // published, with alerts that alerts.fail_on fails on (ErrAlerts)
	ExitUsage    = 64  // EX_USAGE: bad flags or arguments
	ExitDataErr  = 65  // EX_DATAERR: an input is not a readable table, or over the reject budget
	ExitNoInput  = 66  // EX_NOINPUT: input.path matched nothing, or no row, or the named baseline is missing
	ExitSoftware = 70  // EX_SOFTWARE: a bug, such as counts that do not reconcile
	ExitIOErr    = 74  // EX_IOERR: reading or writing failed
	ExitTempFail = 75  // EX_TEMPFAIL: the partition is being written by another run; retry later
	ExitConfig   = 78  // EX_CONFIG: bad config or lexicon
	ExitSignal   = 130 // interrupted (SIGINT, SIGTERM): nothing published
)

// ErrAlerts means the run was published and its alerts against the
// baseline are ones alerts.fail_on fails on (exit 3): look at alerts.json,
// do not rerun.
var ErrAlerts = errors.New("alerts against the baseline (alerts.fail_on; see alerts.json)")

// Exit is a binary's exit code for its run's error: ExitSignal when a
// signal ended ctx (the run stops and publishes nothing, whatever error
// that caused), else ExitCode. vocmine and vocmine-beam both exit through
// it, so that a scheduler reads one set of codes.
func Exit(ctx context.Context, err error) int {
	if err != nil && ctx.Err() != nil {
		return ExitSignal
	}
	return ExitCode(err)
}

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

// FaultPoint serves the crash tests of both binaries (Options.Fault): when
// VOCMINE_FAULT_POINT names a point the run reaches ("read", "write",
// "publish", or a step of the commit: "journal", "retire", "table:<name>",
// "drop:<name>", "run"), the process says so on stderr and waits there
// until it is killed, interrupted, or sent SIGUSR1 (which lets it go on).
// Unset, it does nothing.
func FaultPoint(ctx context.Context, stderr io.Writer) func(string) {
	want := os.Getenv("VOCMINE_FAULT_POINT")
	if want == "" {
		return nil
	}
	resume := make(chan os.Signal, 1)
	signal.Notify(resume, syscall.SIGUSR1)
	return func(point string) {
		if point == want {
			fmt.Fprintf(stderr, "fault point %s reached\n", point)
			select {
			case <-ctx.Done():
			case <-resume:
			}
		}
	}
}
