package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/xuri/excelize/v2"
)

// xlsxSource streams the rows of one sheet of a workbook, as survey
// platforms (问卷星, 腾讯问卷) export them: a header row, then one row per
// respondent. Line is the spreadsheet's row number.
type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	file string
	idx  []int
	row  int
}

func openXLSX(path, sheet string, columns []string) (Source, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if sheet == "" {
		sheet = f.GetSheetName(0)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: sheet %q: %w (sheets: %s)", path, sheet, err, strings.Join(f.GetSheetList(), ", "))
	}
	if !rows.Next() {
		f.Close()
		return nil, fmt.Errorf("%s: sheet %q: %w", path, sheet, ErrEmptyFile)
	}
	header, err := rows.Columns()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	idx, err := columnIndex(path, header, columns)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &xlsxSource{f: f, rows: rows, file: path, idx: idx, row: 1}, nil
}

func (s *xlsxSource) Next() (Record, error) {
	for s.rows.Next() {
		s.row++
		cells, err := s.rows.Columns()
		if err != nil {
			return Record{}, fmt.Errorf("%s: row %d: %w", s.file, s.row, err)
		}
		if len(cells) == 0 {
			continue // a fully empty row: trailing blank rows are common
		}
		return Record{File: s.file, Line: s.row, Values: pick(cells, s.idx), Fields: cells, Sep: "\t"}, nil
	}
	if err := s.rows.Error(); err != nil {
		return Record{}, fmt.Errorf("%s: %w", s.file, err)
	}
	return Record{}, io.EOF
}

func (s *xlsxSource) Close() error {
	s.rows.Close()
	return s.f.Close()
}

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

func openParquet(path string, columns []string) (src Source, err error) {
	defer recoverCorrupt(path, &err)
	pf, err := file.OpenParquetFile(path, false)
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
	rr, err := fr.GetRecordReader(context.Background(), nil, nil)
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
