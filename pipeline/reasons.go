package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/vocmine/vocmine/config"
)

// EachRecord calls f with each readable record of input, read with the
// config's input settings (format, encoding, sheet, record bound): its
// Values are the given columns, in order. Unreadable rows are skipped, as
// coverage skips them: they are `vocmine run`'s business. The lexicon
// author's tools (lextool) read their --input with it.
func EachRecord(ctx context.Context, cfg *config.Config, input string, columns []string, f func(*Record) error) error {
	src, err := OpenSource(ctx, input, InputOptions(cfg.Input, columns))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	defer src.Close()
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var re *RecordError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			return fmt.Errorf("%w: %w", ErrInput, err)
		}
		if err := f(&rec); err != nil {
			return err
		}
	}
}

// InputOptions are the source options of the config's input settings, for
// the given columns: every engine and tool reads its input with them.
func InputOptions(in config.Input, columns []string) SourceOptions {
	return SourceOptions{Format: in.Format, Encoding: in.Encoding, Sheet: in.Sheet, Columns: columns,
		MaxRecordBytes: in.MaxRecordBytes, SpecialFiles: in.SpecialFiles}
}
