package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/source"
)

// The one loop over an input file's rows: vocmine run and vocmine-beam read
// with Job.Read, the lexicon tools with EachRecord; both open the file with
// openRecords and loop with EachRow.

// inputOptions are the source options of the config's input settings, for
// the given columns.
func inputOptions(in config.Input, columns []string) source.Options {
	return source.Options{Format: in.Format, Encoding: in.Encoding, Sheet: in.Sheet, Columns: columns,
		MaxRecordBytes: in.MaxRecordBytes, SpecialFiles: in.SpecialFiles}
}

// openRecords opens input file path with the config's input settings, for
// the given columns. A file without a header row (source.ErrEmptyFile)
// holds no row: source.ErrNoInput; any other error is source.ErrInput.
func openRecords(ctx context.Context, in config.Input, path string, columns []string) (source.Source, error) {
	src, err := source.Open(ctx, path, inputOptions(in, columns))
	switch {
	case errors.Is(err, source.ErrEmptyFile):
		return nil, fmt.Errorf("%w: %w", source.ErrNoInput, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", source.ErrInput, err)
	}
	return src, nil
}

// EachRow calls f with each row of src in file order: its record, or the
// *RecordError of a row that could not be read, after which the file goes
// on. f's error ends the loop as it is, an error reading the file as
// source.ErrInput.
func EachRow(src source.Source, f func(rec source.Record, rerr *source.RecordError) error) error {
	for {
		rec, err := src.Next()
		var rerr *source.RecordError
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &rerr):
			err = f(rerr.Record, rerr)
		case err != nil:
			return fmt.Errorf("%w: %w", source.ErrInput, err)
		default:
			err = f(rec, nil)
		}
		if err != nil {
			return err
		}
	}
}

// Row is a row of an input file that Job.Read did not filter out: a
// response and the record it came from or, when Reject is set, a row that
// could not be read or failed a check.
type Row struct {
	Resp   Response
	Rec    source.Record
	Reject *Reject
	// Consumed is how many bytes of the file have been read so far
	// (Source.Consumed): the run's progress.
	Consumed int64
}

// Read reads input file path, named name in the tables, with the config's
// input settings and classifies its rows in file order (Classify), calling
// f with each row that is not filtered out. c counts the rows as they go:
// Read, Rejected and Filtered; what becomes of a response (accepted, or a
// duplicate) is f's to count. f's error ends the file as it is; see
// openRecords and EachRow for the others. At the end Read returns the size
// and digest of the file's bytes.
//
// A file with no header row (zero bytes, or blank) holds no row: Read
// returns its size and digest with Empty set, and no error; Commit warns of
// it, and fails the run only when every file is empty. A region or a
// channel with no response that night exports an empty file, and the others
// must still publish.
func (j *Job) Read(ctx context.Context, path, name string, c *partition.Counts, f func(Row) error) (source.Info, error) {
	src, err := openRecords(ctx, j.Cfg.Input, path, j.Columns)
	if errors.Is(err, source.ErrEmptyFile) {
		return emptyInput(path), nil
	}
	if err != nil {
		return source.Info{}, err
	}
	defer src.Close()
	if enc, why := src.Encoding(); enc != "" {
		j.Log.Info("input encoding", "file", name, "encoding", enc, "why", why)
	}
	err = EachRow(src, func(rec source.Record, rerr *source.RecordError) error {
		c.Read++
		rec.File = name
		if rerr != nil {
			c.Rejected++
			return f(Row{Rec: rec, Consumed: src.Consumed(), Reject: &Reject{File: name, Line: int64(rec.Line), Offset: rec.Offset,
				Reason: rerr.Reason, Message: rerr.Err.Error(), Raw: rec.RawText()}})
		}
		resp, rej, filtered := j.Classify(rec)
		switch {
		case filtered:
			c.Filtered++
			return nil
		case rej != nil:
			c.Rejected++
		}
		return f(Row{Resp: resp, Rec: rec, Reject: rej, Consumed: src.Consumed()})
	})
	if err != nil {
		return source.Info{}, err
	}
	return src.Input(), nil
}

// emptyInput is the Info of an input file with no header row: its size and
// digest. Only a regular file is read again for the digest (a FIFO would
// wait for a new writer).
func emptyInput(path string) source.Info {
	in := source.Info{Empty: true}
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		in.Bytes = fi.Size()
		in.SHA256, _ = partition.FileSHA256(path)
	}
	return in
}
