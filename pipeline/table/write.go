package table

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"
	pcompress "github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// parquet-go writes every table: through GenericWriter for the tables whose
// schema is a Go struct, through RowWriter for the two whose columns come
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

// Writer writes rows of T to one Parquet file with parquet-go.
type Writer[T any] struct {
	f    *os.File
	w    *parquet.GenericWriter[T]
	rows int64
}

// NewWriter creates the table file path, compressed with compression
// (zstd, snappy, gzip or none), for rows of T; Close syncs and closes it.
func NewWriter[T any](path, compression string) (*Writer[T], error) {
	f, opts, err := create(path, compression)
	if err != nil {
		return nil, err
	}
	return &Writer[T]{f: f, w: parquet.NewGenericWriter[T](f, opts...)}, nil
}

// create creates a table's file and returns it with the writer
// options every table shares: the compression and bounded row groups.
func create(path, compression string) (*os.File, []parquet.WriterOption, error) {
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

// finish closes a table's writer, then syncs its file to disk and
// closes it.
func finish(w io.Closer, f *os.File) error {
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

// Write appends rows to the table (an empty slice writes nothing); row
// groups hold at most 131,072 rows, so memory does not grow with the table.
func (s *Writer[T]) Write(rows []T) error {
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

// Rows is the number of rows written so far.
func (s *Writer[T]) Rows() int64 { return s.rows }

// Close finishes the file and syncs it to disk.
func (s *Writer[T]) Close() error { return finish(s.w, s.f) }

// Write writes a whole table at once.
func Write[T any](path, compression string, rows []T) (int64, error) {
	w, err := NewWriter[T](path, compression)
	if err != nil {
		return 0, err
	}
	if err := w.Write(rows); err != nil {
		w.Close()
		return 0, err
	}
	return w.rows, w.Close()
}
