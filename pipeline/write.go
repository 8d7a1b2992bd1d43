package pipeline

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	aparquet "github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/parquet-go/parquet-go"
	pcompress "github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// Two Parquet libraries, each where it serves best (docs/ARCHITECTURE.md):
// parquet-go writes the tables whose schema is a Go struct; Arrow writes the
// two whose columns come from the config and the lexicon (a segment column per
// input.segments in responses, a code column per dimension in codes), since
// an Arrow schema keeps columns in the order we give, and parquet-go's
// dynamic groups sort them by name.

// zstdFast is zstd at its fastest level: on survey text it compresses
// nearly as well as the default level for a fraction of the time (see
// docs/BENCHMARKS.md), and the writers sit on the hot path.
var zstdFast = &zstd.Codec{Level: zstd.SpeedFastest}

// rowGroupRows bounds a row group, so that writers hold at most that many
// rows in memory whatever the input size.
const rowGroupRows = 128 << 10

func parquetCodec(name string) (pcompress.Codec, compress.Compression, error) {
	switch name {
	case "zstd":
		return zstdFast, compress.Codecs.Zstd, nil
	case "snappy":
		return &parquet.Snappy, compress.Codecs.Snappy, nil
	case "gzip":
		return &parquet.Gzip, compress.Codecs.Gzip, nil
	case "none", "uncompressed":
		return &parquet.Uncompressed, compress.Codecs.Uncompressed, nil
	}
	return nil, 0, fmt.Errorf("unknown compression %q", name)
}

// structWriter writes rows of T to one Parquet file with parquet-go.
type structWriter[T any] struct {
	f    *os.File
	w    *parquet.GenericWriter[T]
	rows int64
}

func newStructWriter[T any](path, compression string) (*structWriter[T], error) {
	codec, _, err := parquetCodec(compression)
	if err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &structWriter[T]{f: f, w: parquet.NewGenericWriter[T](f, parquet.Compression(codec), parquet.MaxRowsPerRowGroup(rowGroupRows))}, nil
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
func (s *structWriter[T]) Close() error {
	err := s.w.Close()
	if err == nil {
		err = s.f.Sync()
	}
	if cerr := s.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("closing %s: %w", filepath.Base(s.f.Name()), err)
	}
	return nil
}

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

// arrowWriter writes record batches built row by row to one Parquet file.
type arrowWriter struct {
	f    *os.File
	w    *pqarrow.FileWriter
	b    *array.RecordBuilder
	n    int
	rows int64
}

const arrowBatchRows = 8192

// newArrowWriter writes schema's columns; columns named in plain hold
// mostly distinct values (ids, texts, tokens), for which dictionary encoding
// costs time and saves nothing.
func newArrowWriter(path, compression string, schema *arrow.Schema, plain ...string) (*arrowWriter, error) {
	_, codec, err := parquetCodec(compression)
	if err != nil {
		return nil, err
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	opts := []aparquet.WriterProperty{aparquet.WithCompression(codec), aparquet.WithCompressionLevel(1), aparquet.WithMaxRowGroupLength(rowGroupRows)}
	for _, col := range plain {
		opts = append(opts, aparquet.WithDictionaryFor(col, false))
	}
	props := aparquet.NewWriterProperties(opts...)
	w, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		f.Close()
		return nil, err
	}
	return &arrowWriter{f: f, w: w, b: array.NewRecordBuilder(memory.DefaultAllocator, schema)}, nil
}

// rowDone counts a row appended to the builders, flushing full batches.
func (a *arrowWriter) rowDone() error {
	a.n++
	a.rows++
	if a.n >= arrowBatchRows {
		return a.flush()
	}
	return nil
}

func (a *arrowWriter) flush() error {
	if a.n == 0 {
		return nil
	}
	rec := a.b.NewRecordBatch()
	defer rec.Release()
	a.n = 0
	if err := a.w.Write(rec); err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(a.f.Name()), err)
	}
	return nil
}

func (a *arrowWriter) Close() error {
	err := a.flush()
	a.b.Release()
	if cerr := a.w.Close(); err == nil {
		err = cerr // closes the file too
	}
	if err == nil {
		if f, oerr := os.OpenFile(a.f.Name(), os.O_RDWR, 0); oerr == nil {
			err = f.Sync()
			f.Close()
		}
	}
	if err != nil {
		return fmt.Errorf("closing %s: %w", filepath.Base(a.f.Name()), err)
	}
	return nil
}

func (a *arrowWriter) str(i int, v string) { a.b.Field(i).(*array.StringBuilder).Append(v) }
func (a *arrowWriter) i32(i int, v int32)  { a.b.Field(i).(*array.Int32Builder).Append(v) }
func (a *arrowWriter) i64(i int, v int64)  { a.b.Field(i).(*array.Int64Builder).Append(v) }
func (a *arrowWriter) boolean(i int, v bool) {
	a.b.Field(i).(*array.BooleanBuilder).Append(v)
}
func (a *arrowWriter) strs(i int, vs []string) {
	lb := a.b.Field(i).(*array.ListBuilder)
	lb.Append(true)
	sb := lb.ValueBuilder().(*array.StringBuilder)
	for _, v := range vs {
		sb.Append(v)
	}
}

// rejectSink writes rejects to rejects.parquet and, for people, rejects.csv.
type rejectSink struct {
	*structWriter[Reject]
	f *os.File
	w *csv.Writer
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

func (s *rejectSink) Write(rows []Reject) error {
	for _, r := range rows {
		s.w.Write([]string{r.File, strconv.FormatInt(r.Line, 10), strconv.FormatInt(r.Offset, 10), r.Column, r.Reason, r.Message, r.Raw})
	}
	return s.structWriter.Write(rows)
}

func (s *rejectSink) Close() error {
	s.w.Flush()
	err := errors.Join(s.w.Error(), s.f.Sync(), s.f.Close(), s.structWriter.Close())
	if err != nil {
		return fmt.Errorf("closing rejects: %w", err)
	}
	return nil
}
