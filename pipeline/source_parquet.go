package pipeline

import (
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetSource reads a Parquet file through Arrow, which turns any physical
// type (int32, int64, double, byte arrays, dictionaries) into a value whose
// text form we take: a score stored as a double reads as "9".
type parquetSource struct {
	pf   *file.Reader
	rr   pqarrow.RecordReader
	file string
	idx  []int
	rec  arrow.RecordBatch
	i    int
	row  int
}

// ErrCorrupt means an input file is damaged; it is rejected as a whole.
var ErrCorrupt = errors.New("corrupt file")

// recoverCorrupt turns a panic of the Parquet reader (arrow-go panics on
// some damaged files, for instance an unknown logical type) into an error
// naming the file.
func recoverCorrupt(path string, err *error) {
	if v := recover(); v != nil {
		*err = fmt.Errorf("%s: %w: %v", path, ErrCorrupt, v)
	}
}

func openParquet(in *inputFile, columns []string) (src records, err error) {
	path := in.path
	defer recoverCorrupt(path, &err)
	if err := in.hashAll(); err != nil {
		return nil, err
	}
	pf, err := file.NewParquetReader(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: 8192}, memory.DefaultAllocator)
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	schema, err := fr.Schema()
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	header := make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		header[i] = f.Name
	}
	idx, err := columnIndex(path, header, columns)
	if err != nil {
		pf.Close()
		return nil, err
	}
	rr, err := fr.GetRecordReader(in.ctx, nil, nil)
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &parquetSource{pf: pf, rr: rr, file: path, idx: idx}, nil
}

func (s *parquetSource) Next() (rec Record, err error) {
	defer recoverCorrupt(s.file, &err)
	for s.rec == nil || s.i >= int(s.rec.NumRows()) {
		if !s.rr.Next() {
			if err := s.rr.Err(); err != nil && err != io.EOF {
				return Record{}, fmt.Errorf("%s: row %d: %w", s.file, s.row+1, err)
			}
			return Record{}, io.EOF
		}
		s.rec, s.i = s.rr.RecordBatch(), 0
	}
	s.row++
	vals := make([]string, len(s.idx))
	for k, j := range s.idx {
		col := s.rec.Column(j)
		if !col.IsNull(s.i) {
			vals[k] = col.ValueStr(s.i)
		}
	}
	s.i++
	return Record{File: s.file, Line: s.row, Values: vals, Fields: vals, Sep: "\t"}, nil
}

func (s *parquetSource) Close() error {
	s.rr.Release()
	return s.pf.Close()
}
