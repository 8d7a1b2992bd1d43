// Package source reads survey exports (csv, tsv, jsonl, xlsx, parquet) as
// records: the asked-for columns of each row, where the row was, and the bytes
// as read for rejects. It detects the encoding, bounds every read and checks
// the file did not change while it was read.
package source

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

// maxRawBytes bounds the raw text kept with a reject.
const maxRawBytes = 1024

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// The reject reasons of rows the readers cannot read as records
// (RecordError.Reason); ReasonInexactNumber is xlsx's.
const (
	ReasonFieldCount    = "field_count"
	ReasonBrokenQuoting = "broken_quoting"
	ReasonBadJSON       = "bad_json"
	ReasonEncoding      = "invalid_encoding"
)

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
	Input() Info
	// Encoding is the text encoding a csv, tsv or jsonl file is read in
	// and why it was chosen, for the log; "" for other formats.
	Encoding() (name, why string)
	// Consumed is how many bytes of the file a csv, tsv or jsonl source has
	// read so far, as they are in the file (before decoding), with what its
	// buffers hold ahead: the run's progress. 0 for xlsx and parquet, read
	// at random.
	Consumed() int64
}

// records is what each format's reader implements; Open adds the
// input file's checks and digest.
type records interface {
	Next() (Record, error)
	Close() error
}

// Sentinel errors of the readers' callers, each with what the caller should
// do. vocmine run, the lexicon tools and the commands reading published runs
// (trend, report, baselines) wrap their input errors with them.
var (
	// ErrNoInput: input.path matched no file, or the files hold no row;
	// check the path, the run date and the export. Exit 66.
	ErrNoInput = errors.New("no input")
	// ErrInput: an input file could not be read as a table (missing column,
	// corrupt file, a record over input.max_record_bytes). Exit 65.
	ErrInput = errors.New("unreadable input")
)

// ErrMissingColumn means the input has no column the config names.
var ErrMissingColumn = errors.New("missing column")

// ErrEmptyFile means an input file has no header row.
var ErrEmptyFile = errors.New("empty file, no header row")

// Options say how to read an input file.
type Options struct {
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

// Open opens path and returns a Source yielding the values of
// o.Columns, in order. Reading stops with ctx's error once ctx is done.
func Open(ctx context.Context, path string, o Options) (Source, error) {
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
		r, err = openXLSX(in, sheet, columns, o.MaxRecordBytes)
	case "parquet":
		r, err = openParquet(in, columns)
	}
	if err != nil {
		in.Close()
		return nil, err
	}
	return &checked{records: r, in: in}, nil
}

// openText returns a reader of in's text as UTF-8 (see decoded), and
// records on in the encoding chosen and why.
func openText(in *inputFile, encoding string) (io.Reader, error) {
	rd, name, why, err := decoded(in, encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", in.path, err)
	}
	in.encoding, in.encodingWhy = name, why
	return rd, nil
}

// sampleBytes is how much of a text file decides its encoding and its line
// ends.
const sampleBytes = 64 << 10

// utf8Margin is how many valid multi-byte UTF-8 characters a sample must
// hold for each invalid byte to be read as UTF-8 with damaged rows rather
// than as GB18030. GB18030 text holds valid UTF-8 sequences by accident
// (a lead byte 0xC2-0xDF or 0xE0-0xEF followed by bytes 0x80-0xBF): on the
// waimai, hotel and telecom corpora encoded as GB18030, 0.24 to 0.32 of them
// per invalid byte in 64 KiB, at most 0.41 in any 1 KiB window; UTF-8
// Chinese text with a bad row holds thousands per invalid byte.
const utf8Margin = 4

// decoded returns a reader of f's text as UTF-8, the encoding's name and
// why it was chosen. A BOM decides (UTF-8, or UTF-16 as Excel's
// "Unicode text" export writes), then a configured encoding; "auto" reads
// the first 64 KiB (sniff): UTF-8 unless they are clearly GB18030 (a
// superset of GBK, what Excel writes on Chinese Windows). The rows of a
// UTF-8 file that hold invalid bytes are the Cleaner's to reject
// (invalid_encoding); they never turn the whole file into GB18030.
//
// A file whose first 64 KiB hold a CR but no LF ends its lines in a lone CR
// (classic Mac, some Excel exports), which encoding/csv does not take for a
// line end: every CR is read as LF, inside quoted text too (as encoding/csv
// reads a CRLF there). A CRLF later in such a file then reads as an empty
// line, which both readers skip.
func decoded(f io.Reader, encoding string) (rd io.Reader, name, why string, err error) {
	br := bufio.NewReaderSize(f, sampleBytes)
	head, err := br.Peek(sampleBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", "", err
	}
	full := len(head) == sampleBytes // more may follow: the sample may end inside a character
	switch enc := strings.ToLower(encoding); {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
		head = head[3:]
		name, why = "utf-8", "a UTF-8 byte order mark"
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		name, why = "utf-16", "a UTF-16 byte order mark"
	case enc == "auto" || enc == "":
		name, why = sniff(head, full)
	case enc == "gb18030" || enc == "gbk":
		name, why = "gb18030", "input.encoding: "+enc
	default:
		name, why = "utf-8", "input.encoding: "+enc
	}
	rd = br
	if name != "utf-8" {
		dec := simplifiedchinese.GB18030.NewDecoder()
		if name == "utf-16" {
			dec = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		}
		// The line ends are those of the decoded text.
		dr := bufio.NewReaderSize(transform.NewReader(br, dec), sampleBytes)
		head, err = dr.Peek(sampleBytes)
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, "", "", err
		}
		rd = dr
	}
	if bytes.IndexByte(head, '\r') >= 0 && bytes.IndexByte(head, '\n') < 0 {
		rd = crToLF{rd}
		why += "; lines end in a lone CR, read as LF"
	}
	return rd, name, why, nil
}

// sniff decides the encoding of a sample of a file with no BOM: UTF-8 when
// it is valid UTF-8, or when its valid multi-byte UTF-8 characters outnumber
// its invalid bytes utf8Margin to one, or when GB18030 would find at least as
// many invalid bytes in it; GB18030 otherwise. A character cut at the end of
// a full sample counts for neither. why says what was counted.
func sniff(b []byte, full bool) (name, why string) {
	size := len(b)
	mb, bad := countUTF8(b, full)
	switch {
	case bad == 0 && mb == 0:
		return "utf-8", fmt.Sprintf("auto: the first %d bytes are ASCII", size)
	case bad == 0:
		return "utf-8", fmt.Sprintf("auto: the first %d bytes are valid UTF-8 (%d multi-byte characters)", size, mb)
	case mb >= utf8Margin*bad:
		return "utf-8", fmt.Sprintf("auto: the first %d bytes hold %d valid multi-byte UTF-8 characters and %d invalid bytes: UTF-8, the rows with invalid bytes are rejected", size, mb, bad)
	}
	gbChars, gbBad := countGB18030(b, full)
	if gbBad >= bad {
		return "utf-8", fmt.Sprintf("auto: the first %d bytes hold %d invalid UTF-8 bytes, and no fewer (%d) as GB18030: UTF-8, the rows with invalid bytes are rejected", size, bad, gbBad)
	}
	return "gb18030", fmt.Sprintf("auto: the first %d bytes are not UTF-8 (%d invalid bytes, %d valid multi-byte characters) but GB18030 (%d characters, %d invalid bytes)", size, bad, mb, gbChars, gbBad)
}

// countUTF8 counts the valid multi-byte characters and the invalid bytes of
// b as UTF-8; when full, a character cut at the end is not counted.
func countUTF8(b []byte, full bool) (mb, bad int) {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		if full && !utf8.FullRune(b[i:]) {
			break // cut by the end of the sample
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		} else {
			mb++
		}
		i += n
	}
	return mb, bad
}

// countGB18030 counts the multi-byte characters and the invalid bytes of b
// as GB18030: a lead byte 0x81-0xFE with a trail byte 0x40-0x7E or
// 0x80-0xFE, or four bytes lead, 0x30-0x39, lead, 0x30-0x39.
func countGB18030(b []byte, full bool) (chars, bad int) {
	lead := func(c byte) bool { return c >= 0x81 && c <= 0xFE }
	digit := func(c byte) bool { return c >= 0x30 && c <= 0x39 }
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			i++
			continue
		case !lead(c):
			bad++
			i++
			continue
		}
		rest := b[i+1:]
		switch {
		case len(rest) == 0 || digit(rest[0]) && len(rest) < 3:
			if !full {
				bad++
			}
			return chars, bad
		case rest[0] >= 0x40 && rest[0] <= 0xFE && rest[0] != 0x7F:
			chars++
			i += 2
		case digit(rest[0]) && lead(rest[1]) && digit(rest[2]):
			chars++
			i += 4
		default:
			bad++
			i++
		}
	}
	return chars, bad
}

// crToLF reads every CR as LF (see decoded).
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}

// trimBOM drops a U+FEFF at the start of a value: exports concatenated
// with cat keep each file's BOM at the start of a line, and "\uFEFFR1" must
// be R1. A U+FEFF anywhere else is left alone (it is text, if odd text).
func trimBOM(s string) string { return strings.TrimPrefix(s, "\uFEFF") }

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
		// A header read as GB18030 or UTF-16 is valid UTF-8 once decoded: an
		// invalid one was read as UTF-8, most likely a GB18030 export read
		// with input.encoding: utf-8, whose names the error lists as mojibake.
		if !utf8.ValidString(strings.Join(header, "")) {
			err = fmt.Errorf("%w; the header does not look like UTF-8 (read as UTF-8: %s): if the file is GB18030 or GBK (Excel on Chinese Windows), set input.encoding: gb18030, or auto to detect it", err, in.encodingWhy)
		}
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
			reason := ReasonBrokenQuoting
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				reason = ReasonFieldCount
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
	for i, v := range rec.Values {
		rec.Values[i] = trimBOM(v)
	}
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
		// encoding/json would read invalid bytes as U+FFFD and accept the
		// line: they reject it, as in a CSV file (invalid_encoding).
		if !utf8.Valid(b) {
			return rec, &RecordError{Record: rec, Reason: ReasonEncoding,
				Err: fmt.Errorf("not valid UTF-8 at byte %d of the line", invalidAt(b))}
		}
		b = bytes.TrimPrefix(b, []byte("\uFEFF")) // see trimBOM
		var obj map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&obj); err != nil || obj == nil {
			if err == nil {
				err = errors.New("not a JSON object")
			}
			return rec, &RecordError{Record: rec, Reason: ReasonBadJSON, Err: err}
		}
		rec.Values = make([]string, len(s.columns))
		for i, c := range s.columns {
			switch v := obj[c].(type) {
			case nil:
			case string:
				rec.Values[i] = trimBOM(v)
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

// invalidAt is the offset of b's first byte that is not valid UTF-8.
func invalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}
