package pipeline

import (
	"context"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/source"
)

// EachRecord calls f with each readable record of input, read with the
// config's input settings (format, encoding, sheet, record bound): its
// Values are the given columns, in order. Unreadable rows are skipped, as
// coverage skips them: they are `vocmine run`'s business. The lexicon
// author's tools (lextool) read their --input with it.
func EachRecord(ctx context.Context, cfg *config.Config, input string, columns []string, f func(*source.Record) error) error {
	src, err := openRecords(ctx, cfg.Input, input, columns)
	if err != nil {
		return err
	}
	defer src.Close()
	return EachRow(src, func(rec source.Record, rerr *source.RecordError) error {
		if rerr != nil {
			return nil
		}
		return f(&rec)
	})
}
