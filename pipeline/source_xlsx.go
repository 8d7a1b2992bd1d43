package pipeline

import (
	"fmt"
	"io"
	"strings"

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

func openXLSX(in *inputFile, sheet string, columns []string) (records, error) {
	path := in.path
	if err := in.hashAll(); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(in)
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
