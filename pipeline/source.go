package pipeline

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Record is one input row, before cleaning: the values of the columns the
// run asked for, in that order, and where the row was.
type Record struct {
	File   string
	Line   int   // line of the record's start (its first line for multi-line quoted text); row number for xlsx and parquet
	Offset int64 // byte offset of the record's start in the decoded stream
	Values []string
	// Fields and Sep give the record as read, for rejects; RawText joins
	// them only when a reject needs it.
	Fields []string
	Sep    string
}

// RawText is the record as read, cut to maxRawBytes.
func (r *Record) RawText() string {
	return truncate(strings.Join(r.Fields, r.Sep), maxRawBytes)
}

// RecordError is a row that could not be read as a record (wrong field
// count, broken quoting, a JSON line that is not an object). The source can
// go on after it: the row is rejected, not the file.
type RecordError struct {
	Record Record
	Reason string // a reject reason code
	Err    error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s:%d: %s: %v", e.Record.File, e.Record.Line, e.Reason, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// Source yields the records of one input file.
//
// Next returns the next record, a *RecordError for a bad row (call Next
// again to go on), io.EOF at the end, or any other error, which ends the
// file (ErrInputChanged at the end when the file changed while it was read).
// The Values slice is the caller's: a source never reuses it. After io.EOF,
// Input gives the size and digest of the bytes read.
type Source interface {
	records
	Input() InputInfo
}

// records is what each format's reader implements; OpenSource adds the
// input file's checks and digest.
type records interface {
	Next() (Record, error)
	Close() error
}

// ErrMissingColumn means the input has no column the config names.
var ErrMissingColumn = errors.New("missing column")

// ErrEmptyFile means an input file has no header row.
var ErrEmptyFile = errors.New("empty file, no header row")

// SourceOptions say how to read an input file.
type SourceOptions struct {
	Format   string // csv, tsv, jsonl, parquet or xlsx; "" means by extension
	Encoding string // auto, utf-8 or gb18030 (csv, tsv, jsonl)
	Sheet    string // xlsx sheet; "" means the first
	Columns  []string
	// MaxRecordBytes bounds one CSV record or JSON line (0: 1 MiB), so that a
	// hostile file cannot make the reader hold gigabytes.
	MaxRecordBytes int
	// SpecialFiles reads FIFOs and devices, which are refused otherwise
	// (ErrNotRegular).
	SpecialFiles bool
}

// ErrRecordTooLong means a record is longer than MaxRecordBytes. The file
// cannot be read on past it.
var ErrRecordTooLong = errors.New("record longer than input.max_record_bytes")

// OpenSource opens path and returns a Source yielding the values of
// o.Columns, in order. Reading stops with ctx's error once ctx is done.
func OpenSource(ctx context.Context, path string, o SourceOptions) (Source, error) {
	format, encoding, sheet, columns := o.Format, o.Encoding, o.Sheet, o.Columns
	if o.MaxRecordBytes <= 0 {
		o.MaxRecordBytes = 1 << 20
	}
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
		if format == "txt" {
			format = "tsv"
		}
	}
	switch format {
	case "csv", "tsv", "jsonl", "ndjson", "xlsx", "parquet":
	default:
		return nil, fmt.Errorf("%s: unknown input format %q: want csv, tsv, jsonl, parquet or xlsx (set input.format)", path, format)
	}
	in, err := openInput(ctx, path, o.SpecialFiles)
	if err != nil {
		return nil, err
	}
	var r records
	switch format {
	case "csv", "tsv":
		r, err = openCSV(in, format, encoding, columns, o.MaxRecordBytes)
	case "jsonl", "ndjson":
		r, err = openJSONL(in, encoding, columns, o.MaxRecordBytes)
	case "xlsx":
		r, err = openXLSX(in, sheet, columns)
	case "parquet":
		r, err = openParquet(in, columns)
	}
	if err != nil {
		in.Close()
		return nil, err
	}
	return &checked{records: r, in: in}, nil
}

// openText returns a reader of in's text as UTF-8 (see decoded).
func openText(in *inputFile, encoding string) (io.Reader, error) {
	rd, _, err := decoded(in, encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.path, err)
	}
	return rd, nil
}

// decoded returns a reader of f's text as UTF-8: a BOM decides (UTF-8 or
// UTF-16, as Excel's "Unicode text" export writes), else encoding "auto"
// takes UTF-8 when the first 64 KiB are valid UTF-8 and GB18030 (a superset of
// GBK, what Excel writes on Chinese Windows) otherwise.
func decoded(f io.Reader, encoding string) (io.Reader, string, error) {
	br := bufio.NewReaderSize(f, 64<<10)
	head, err := br.Peek(64 << 10)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", err
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		return br, "utf-8", nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(br, dec), "utf-16", nil
	}
	enc := strings.ToLower(encoding)
	if enc == "auto" {
		enc = "utf-8"
		if !validUTF8Prefix(head) {
			enc = "gb18030"
		}
	}
	switch enc {
	case "gb18030", "gbk":
		return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), "gb18030", nil
	}
	return br, "utf-8", nil
}

// validUTF8Prefix allows a rune cut at the end of the peeked window.
func validUTF8Prefix(b []byte) bool {
	for i := 0; i < 3 && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1]
	}
	return utf8.Valid(b)
}

// guard fails a read once more than limit bytes have passed since the last
// reset: csv.Reader holds a whole record in memory, and has no limit of its own.
type guard struct {
	r        io.Reader
	n, limit int64
}

func (g *guard) Read(p []byte) (int, error) {
	if g.n > g.limit {
		return 0, ErrRecordTooLong
	}
	k, err := g.r.Read(p)
	g.n += int64(k)
	return k, err
}

type csvSource struct {
	g      *guard
	limit  int
	r      *csv.Reader
	file   string
	idx    []int
	offset int64
}

func openCSV(in *inputFile, format, encoding string, columns []string, maxRecord int) (records, error) {
	path := in.path
	rd, err := openText(in, encoding)
	if err != nil {
		return nil, err
	}
	// The slack covers what the csv reader's buffer reads ahead.
	g := &guard{r: rd, limit: int64(maxRecord) + 64<<10}
	r := csv.NewReader(g)
	if format == "tsv" {
		r.Comma = '\t'
		r.LazyQuotes = true // tab-separated exports rarely quote, and stray quotes are text
	}
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w", path, ErrEmptyFile)
		}
		return nil, fmt.Errorf("%s: reading header: %w", path, err)
	}
	r.FieldsPerRecord = len(header)
	r.ReuseRecord = false
	idx, err := columnIndex(path, header, columns)
	if err != nil {
		return nil, err
	}
	g.n = 0
	return &csvSource{g: g, limit: maxRecord, r: r, file: path, idx: idx, offset: r.InputOffset()}, nil
}

// columnIndex finds columns in header, ignoring surrounding spaces.
func columnIndex(path string, header, columns []string) ([]int, error) {
	pos := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if _, dup := pos[h]; !dup {
			pos[h] = i
		}
	}
	idx := make([]int, len(columns))
	var missing []string
	for i, c := range columns {
		j, ok := pos[c]
		if !ok {
			missing = append(missing, strconv.Quote(c))
		}
		idx[i] = j
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%s: %w %s (the file has: %s)", path, ErrMissingColumn, strings.Join(missing, ", "), strings.Join(header, ", "))
	}
	return idx, nil
}

func (s *csvSource) Next() (Record, error) {
	s.g.n = 0
	fields, err := s.r.Read()
	start := s.offset
	s.offset = s.r.InputOffset()
	rec := Record{File: s.file, Offset: start}
	if err == nil {
		rec.Line, _ = s.r.FieldPos(0) // FieldPos panics after a failed Read
	}
	if err != nil {
		if errors.Is(err, io.EOF) {
			return rec, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			rec.Line = pe.StartLine
			rec.Fields, rec.Sep = fields, string(s.r.Comma)
			reason := "broken_quoting"
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				reason = "field_count"
			}
			return rec, &RecordError{Record: rec, Reason: reason, Err: pe.Err}
		}
		if errors.Is(err, ErrRecordTooLong) {
			return rec, fmt.Errorf("%s: the record starting at byte %d: %w (%d)", s.file, start, err, s.limit)
		}
		return rec, fmt.Errorf("%s: %w", s.file, err)
	}
	if s.r.InputOffset()-start > int64(s.limit) {
		rec.Line, _ = s.r.FieldPos(0)
		return rec, fmt.Errorf("%s:%d: %w (%d)", s.file, rec.Line, ErrRecordTooLong, s.limit)
	}
	rec.Values = pick(fields, s.idx)
	rec.Fields, rec.Sep = fields, string(s.r.Comma)
	return rec, nil
}

func (s *csvSource) Close() error { return nil }

func pick(fields []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		if j < len(fields) {
			out[i] = fields[j]
		}
	}
	return out
}

type jsonlSource struct {
	sc      *bufio.Scanner
	file    string
	columns []string
	line    int
	offset  int64
}

func openJSONL(in *inputFile, encoding string, columns []string, maxRecord int) (records, error) {
	rd, err := openText(in, encoding)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 0, 64<<10), maxRecord)
	return &jsonlSource{sc: sc, file: in.path, columns: columns}, nil
}

func (s *jsonlSource) Next() (Record, error) {
	for s.sc.Scan() {
		s.line++
		b := s.sc.Bytes()
		rec := Record{File: s.file, Line: s.line, Offset: s.offset, Fields: []string{string(b)}}
		s.offset += int64(len(b)) + 1
		if len(bytes.TrimSpace(b)) == 0 {
			continue // blank lines separate nothing in JSON Lines
		}
		var obj map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&obj); err != nil || obj == nil {
			if err == nil {
				err = errors.New("not a JSON object")
			}
			return rec, &RecordError{Record: rec, Reason: "bad_json", Err: err}
		}
		rec.Values = make([]string, len(s.columns))
		for i, c := range s.columns {
			switch v := obj[c].(type) {
			case nil:
			case string:
				rec.Values[i] = v
			case json.Number:
				rec.Values[i] = v.String()
			case bool:
				rec.Values[i] = strconv.FormatBool(v)
			default:
				b, _ := json.Marshal(v)
				rec.Values[i] = string(b)
			}
		}
		return rec, nil
	}
	if err := s.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = ErrRecordTooLong
		}
		return Record{}, fmt.Errorf("%s:%d: %w", s.file, s.line+1, err)
	}
	return Record{}, io.EOF
}

func (s *jsonlSource) Close() error { return nil }
