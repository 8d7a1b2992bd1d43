package pipeline

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"
	pcompress "github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// parquet-go writes every table: through GenericWriter for the tables whose
// schema is a Go struct, through rowWriter for the two whose columns come
// from the config and the lexicon (docs/ARCHITECTURE.md). Arrow reads
// Parquet inputs.

// zstdFast is zstd at its fastest level: on survey text it compresses
// nearly as well as the default level for a fraction of the time (see
// docs/BENCHMARKS.md), and the writers sit on the hot path.
var zstdFast = &zstd.Codec{Level: zstd.SpeedFastest}

// rowGroupRows bounds a row group, so that writers hold at most that many
// rows in memory whatever the input size.
const rowGroupRows = 128 << 10

func parquetCodec(name string) (pcompress.Codec, error) {
	switch name {
	case "zstd":
		return zstdFast, nil
	case "snappy":
		return &parquet.Snappy, nil
	case "gzip":
		return &parquet.Gzip, nil
	case "none", "uncompressed":
		return &parquet.Uncompressed, nil
	}
	return nil, fmt.Errorf("unknown compression %q", name)
}

// structWriter writes rows of T to one Parquet file with parquet-go.
type structWriter[T any] struct {
	f    *os.File
	w    *parquet.GenericWriter[T]
	rows int64
}

func newStructWriter[T any](path, compression string) (*structWriter[T], error) {
	f, opts, err := createParquet(path, compression)
	if err != nil {
		return nil, err
	}
	return &structWriter[T]{f: f, w: parquet.NewGenericWriter[T](f, opts...)}, nil
}

// createParquet creates a table's file and returns it with the writer
// options every table shares: the compression and bounded row groups.
func createParquet(path, compression string) (*os.File, []parquet.WriterOption, error) {
	codec, err := parquetCodec(compression)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, []parquet.WriterOption{parquet.Compression(codec), parquet.MaxRowsPerRowGroup(rowGroupRows), parquet.DataPageStatistics(false)}, nil
}

// finishParquet closes a table's writer, then syncs its file to disk and
// closes it.
func finishParquet(w io.Closer, f *os.File) error {
	err := w.Close()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("closing %s: %w", filepath.Base(f.Name()), err)
	}
	return nil
}

func (s *structWriter[T]) Write(rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	n, err := s.w.Write(rows)
	s.rows += int64(n)
	if err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(s.f.Name()), err)
	}
	return nil
}

// Close finishes the file and syncs it to disk.
func (s *structWriter[T]) Close() error { return finishParquet(s.w, s.f) }

// writeTable writes a whole table at once.
func writeTable[T any](path, compression string, rows []T) (int64, error) {
	w, err := newStructWriter[T](path, compression)
	if err != nil {
		return 0, err
	}
	if err := w.Write(rows); err != nil {
		w.Close()
		return 0, err
	}
	return w.rows, w.Close()
}

// rejectSink writes rejects to rejects.parquet and, for people, rejects.csv.
//
// rejects.csv holds every value as read, invalid bytes included (the CSV
// copy is exact). rejects.parquet keeps the schema's string columns, and a
// Parquet string must be UTF-8 (DuckDB refuses the whole file otherwise:
// "Invalid string encoding found in Parquet file"), so there each byte that
// is not valid UTF-8, and each NUL, is written \xNN, as Python's
// "backslashreplace" writes it: the raw record of a damaged row reads
// R3,9,好\xff坏. A backslash already in the input is left as it is, so the
// text \xff and the byte 0xFF look alike there; rejects.csv tells them
// apart. (A BYTE_ARRAY column without the string annotation would keep the
// bytes, but would change raw's type for every analyst's query.)
type rejectSink struct {
	*structWriter[Reject]
	f       *os.File
	w       *csv.Writer
	version string // the run's lexicon_version, stamped on every row
}

func newRejectSink(dir, compression string) (*rejectSink, error) {
	pw, err := newStructWriter[Reject](filepath.Join(dir, "rejects.parquet"), compression)
	if err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, "rejects.csv"))
	if err != nil {
		pw.Close()
		return nil, err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"file", "line", "offset", "column", "reason", "message", "raw"})
	return &rejectSink{structWriter: pw, f: f, w: w}, nil
}

// Write writes rows to both files; it does not modify rows beyond setting
// their LexiconVersion.
func (s *rejectSink) Write(rows []Reject) error {
	for i := range rows {
		rows[i].LexiconVersion = s.version
	}
	for _, r := range rows {
		s.w.Write([]string{r.File, strconv.FormatInt(r.Line, 10), strconv.FormatInt(r.Offset, 10), r.Column, r.Reason, r.Message, r.Raw})
	}
	return s.structWriter.Write(parquetText(rows))
}

// parquetText returns rows with every string escaped (escapeBytes), copying
// rows only when one needs it.
func parquetText(rows []Reject) []Reject {
	out := rows
	for i, r := range rows {
		e := Reject{File: escapeBytes(r.File), Line: r.Line, Offset: r.Offset, Column: escapeBytes(r.Column), Reason: escapeBytes(r.Reason),
			Message: escapeBytes(r.Message), Raw: escapeBytes(r.Raw), LexiconVersion: escapeBytes(r.LexiconVersion)}
		if e == r {
			continue
		}
		if &out[0] == &rows[0] {
			out = slices.Clone(rows)
		}
		out[i] = e
	}
	return out
}

// escapeBytes writes each byte of s that is not part of valid UTF-8, and
// each NUL, as \xNN (see rejectSink): the bytes the Cleaner rejects a
// value for (invalidText).
func escapeBytes(s string) string {
	var b strings.Builder
	for {
		at, ok := invalidText(s)
		if ok && b.Len() == 0 {
			return s
		}
		if ok {
			b.WriteString(s)
			return b.String()
		}
		fmt.Fprintf(&b, `%s\x%02x`, s[:at], s[at])
		s = s[at+1:]
	}
}

func (s *rejectSink) Close() error {
	s.w.Flush()
	err := errors.Join(s.w.Error(), s.f.Sync(), s.f.Close(), s.structWriter.Close())
	if err != nil {
		return fmt.Errorf("closing rejects: %w", err)
	}
	return nil
}
