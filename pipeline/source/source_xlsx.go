package source

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
)

// The xlsx reader reads the workbook's zip itself, with archive/zip and
// encoding/xml, instead of through excelize (which the tests still use to
// write workbooks). excelize.OpenReader holds the whole file in memory,
// inflates every part of the package at open (docProps/custom.xml
// included) with no bound but the 16 GiB sum of the declared sizes, decodes
// a cell with no bound on its size, writes worksheets over 16 MiB to
// excelize-* temporary files that a killed run leaves behind, cannot be
// cancelled, and formats numbers (a 19-digit respondent id came out as
// 2.026113E+18). This reader instead:
//
//   - reads the file through its io.ReaderAt, never as a whole, so the input
//     file's size is not bounded (only the zip's central directory is, at
//     xlsxMaxDirectory bytes read);
//   - inflates only the parts it needs: the package and workbook
//     relationships, the workbook, the shared strings and the one sheet read.
//     Any other part (docProps, media, styles, other sheets) is never opened,
//     whatever it declares;
//   - refuses a needed part whose declared inflated size is over its bound
//     before inflating a byte (ErrPartTooLarge), and stops one that inflates
//     past its bound or past its declared size (archive/zip fails the read
//     with zip.ErrFormat once a part yields more than it declared);
//   - bounds every row: a row whose XML, or whose values once shared strings
//     are looked up, exceed max_record_bytes fails the file (exit 65) naming
//     the file and the row, as the CSV reader does: the reader stops reading
//     it within max_record_bytes + 64 KiB of inflated XML, and cannot go on
//     past it without reading whatever the row holds (gigabytes, in a bomb),
//     so it does not resynchronize. A shared string over max_record_bytes
//     fails the file the same way;
//   - checks the run's context on every read, so SIGTERM stops it at once;
//   - writes no temporary file, so there is none to clean on any exit path,
//     a SIGKILL included;
//   - reads numbers as the sheet stores them (raw values, no formatting):
//     an integer written in digits is kept digit for digit whatever its
//     length, as the text is all there is of it (writers of int64 ids, such
//     as excelize, write them so); a number in exponent form that is a whole
//     number beyond 2^53 (as Excel, .NET, Java and Python write large
//     floats: 2.026113E+18, 2.0261130000000005E+18) has lost digits the id
//     had, so a row whose asked-for column holds one is rejected
//     (inexact_number) rather than merged with another as a duplicate. A
//     float a writer spelled out in digits after rounding (Go's 'f' format)
//     cannot be told from an exact integer, and is kept. Other exponent
//     forms are written out (9E0 reads 9, 1.5E3 1500). Dates stored as
//     numbers read as their serial number; booleans as TRUE and FALSE.
//
// Memory: the shared strings (at most xlsxMaxShared bytes of XML, their
// text held in chunks plus 4 bytes a string), the zip directory (at most
// xlsxMaxDirectory bytes read) and one row (max_record_bytes + 64 KiB).

// Bounds of the xlsx reader, past which a workbook fails (exit 65).
const (
	xlsxMaxDirectory = 4 << 20   // zip central directory bytes read (~90k parts)
	xlsxMaxMeta      = 16 << 20  // inflated bytes of a relationships or workbook part
	xlsxMaxShared    = 256 << 20 // inflated bytes of the shared string table (held in memory as text)
	xlsxMaxStrings   = 1 << 24   // shared strings
	xlsxMaxSheet     = 4 << 30   // inflated bytes of the sheet read (streamed: a bound on time, not memory)
	xlsxMaxColumns   = 16384     // Excel's last column, XFD
	xlsxMaxRows      = 1 << 20   // Excel's last row: no sheet holds more
	xlsxSlack        = 64 << 10  // what the XML decoder's buffer reads ahead of a row
)

// ErrPartTooLarge means a part of an xlsx workbook that the reader needs
// declares or inflates to more bytes than the reader allows (see the
// xlsxMax* bounds): the file fails (exit 65). Parts the reader does not need
// are never read, whatever their size.
var ErrPartTooLarge = errors.New("xlsx part over the reader's size bound")

// ReasonInexactNumber is the reject reason of an xlsx row whose id or other
// asked-for column is a number stored with fewer digits than it had.
const ReasonInexactNumber = "inexact_number"

// xlsxSource streams the rows of one sheet of a workbook, as survey
// platforms (问卷星, 腾讯问卷) export them: a header row, then one row per
// respondent. Line is the spreadsheet's row number.
type xlsxSource struct {
	file      string
	sheet     *xmlPart
	shared    *sharedStrings
	header    []string
	idx       []int
	maxRecord int
	row       int // the last row's number
	rows      int // rows read
	done      bool
}

// openXLSX opens the sheet of in named sheet (the first when "") and
// reads its header row, the first row holding a value; a row may hold at
// most maxRecord bytes (input.max_record_bytes).
func openXLSX(in *inputFile, sheet string, columns []string, maxRecord int) (records, error) {
	p := in.path
	if err := in.hashAll(); err != nil {
		return nil, err
	}
	wb, err := openWorkbook(in, maxRecord)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	sheets, err := wb.sheets()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if len(sheets) == 0 {
		return nil, fmt.Errorf("%s: the workbook has no sheet: %w", p, ErrEmptyFile)
	}
	target := sheets[0]
	if sheet != "" {
		target = xlsxSheet{}
		for _, s := range sheets {
			if s.name == sheet || (target.name == "" && strings.EqualFold(s.name, sheet)) {
				target = s
			}
		}
		if target.name == "" {
			names := make([]string, len(sheets))
			for i, s := range sheets {
				names[i] = s.name
			}
			return nil, fmt.Errorf("%s: sheet %q does not exist (sheets: %s)", p, sheet, strings.Join(names, ", "))
		}
	}
	shared, err := wb.sharedStrings()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	part, err := wb.open(target.part, xlsxMaxSheet, int64(maxRecord)+xlsxSlack)
	if err != nil {
		return nil, fmt.Errorf("%s: sheet %q: %w", p, target.name, err)
	}
	s := &xlsxSource{file: p, sheet: part, shared: shared, maxRecord: maxRecord}
	var header []string
	for len(header) == 0 {
		var err error
		if header, _, err = s.nextRow(); err != nil {
			part.Close()
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("%s: sheet %q: %w", p, target.name, ErrEmptyFile)
			}
			return nil, err
		}
	}
	s.header = header
	if s.idx, err = columnIndex(p, header, columns); err != nil {
		part.Close()
		return nil, err
	}
	return s, nil
}

func (s *xlsxSource) Next() (Record, error) {
	for {
		cells, inexact, err := s.nextRow()
		if err != nil {
			return Record{}, err
		}
		if len(cells) == 0 {
			continue // a fully empty row: trailing blank rows are common
		}
		rec := Record{File: s.file, Line: s.row, Values: pick(cells, s.idx), Fields: cells, Sep: "\t"}
		for _, col := range inexact {
			if slices.Contains(s.idx, col) {
				return rec, &RecordError{Record: rec, Reason: ReasonInexactNumber,
					Err: fmt.Errorf("column %s (%s): %s is a whole number past 2^53 stored as a float, which lost its last digits (store the column as text)", columnName(col), s.header[col], cells[col])}
			}
		}
		return rec, nil
	}
}

func (s *xlsxSource) Close() error { return s.sheet.Close() }

// nextRow reads the next <row> of the sheet: its cells as text (trailing
// empty cells dropped) and the columns holding an inexact number. io.EOF
// at the end of the sheet's data.
func (s *xlsxSource) nextRow() ([]string, []int, error) {
	if s.done {
		return nil, nil, io.EOF
	}
	x := s.sheet
	for {
		tok, err := x.token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				s.done = true
				return nil, nil, io.EOF
			}
			return nil, nil, s.fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "row" {
				return s.readRow(t)
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				s.done = true // what follows (merged cells, formats) is not data
				return nil, nil, io.EOF
			}
		}
	}
}

// fail names the file and the row of a read error.
func (s *xlsxSource) fail(err error) error {
	if errors.Is(err, ErrRecordTooLong) {
		return fmt.Errorf("%s: row %d: %w (%d)", s.file, s.row+1, ErrRecordTooLong, s.maxRecord)
	}
	return fmt.Errorf("%s: after row %d: %w", s.file, s.row, err)
}

func (s *xlsxSource) readRow(start xml.StartElement) ([]string, []int, error) {
	x := s.sheet
	begin := x.d.InputOffset() // the end of <row>: the tag itself is small
	x.r.mark()
	s.row++
	if n, err := strconv.Atoi(attr(start, "r")); err == nil && n > 0 {
		s.row = n
	}
	if s.rows++; s.row > xlsxMaxRows || s.rows > xlsxMaxRows {
		return nil, nil, fmt.Errorf("%s: row %d: more rows than a sheet holds (%d)", s.file, s.row, xlsxMaxRows)
	}
	var cells []string
	var inexact []int
	size := 0 // bytes of the values
	col := -1
	for {
		tok, err := x.inner()
		if err != nil {
			return nil, nil, s.failRow(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "c" {
				if err := x.skip(); err != nil {
					return nil, nil, s.failRow(err)
				}
				continue
			}
			if ref := attr(t, "r"); ref != "" {
				c, ok := refColumn(ref)
				if !ok {
					return nil, nil, fmt.Errorf("%s: row %d: cell reference %.20q is not a cell of the sheet's %d columns", s.file, s.row, ref, xlsxMaxColumns)
				}
				col = c
			} else if col++; col >= xlsxMaxColumns {
				return nil, nil, fmt.Errorf("%s: row %d: more than %d cells", s.file, s.row, xlsxMaxColumns)
			}
			v, exact, err := s.cell(t)
			if err != nil {
				return nil, nil, s.failRow(err)
			}
			if v == "" {
				continue
			}
			if size += len(v); size > s.maxRecord {
				return nil, nil, s.failRow(ErrRecordTooLong)
			}
			for len(cells) <= col {
				cells = append(cells, "")
			}
			cells[col] = v
			if !exact {
				inexact = append(inexact, col)
			}
		case xml.EndElement: // </row>, the only end at this depth
			if x.d.InputOffset()-begin > int64(s.maxRecord) {
				return nil, nil, s.failRow(ErrRecordTooLong)
			}
			for len(cells) > 0 && cells[len(cells)-1] == "" {
				cells = cells[:len(cells)-1]
			}
			return cells, inexact, nil
		}
	}
}

func (s *xlsxSource) failRow(err error) error {
	if errors.Is(err, ErrRecordTooLong) {
		return fmt.Errorf("%s: row %d: %w (%d)", s.file, s.row, ErrRecordTooLong, s.maxRecord)
	}
	return fmt.Errorf("%s: row %d: %w", s.file, s.row, err)
}

// cell reads a <c> element after its start tag: its value as text, and
// whether a number is exact.
func (s *xlsxSource) cell(start xml.StartElement) (string, bool, error) {
	x := s.sheet
	var v, inline string
	hasInline := false
	for {
		tok, err := x.inner()
		if err != nil {
			return "", true, err
		}
		if _, end := tok.(xml.EndElement); end {
			break
		}
		t, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch t.Name.Local {
		case "v":
			if v, err = x.text(); err != nil {
				return "", true, err
			}
		case "is":
			hasInline = true
			if inline, err = x.richText(); err != nil {
				return "", true, err
			}
		default: // a formula, extensions
			if err := x.skip(); err != nil {
				return "", true, err
			}
		}
	}
	switch attr(start, "t") {
	case "s":
		if v == "" {
			return "", true, nil
		}
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= s.shared.len() {
			return "", true, fmt.Errorf("shared string %.20q is not in the table of %d", v, s.shared.len())
		}
		return s.shared.at(i), true, nil
	case "inlineStr":
		if hasInline {
			return unescapeOOXML(inline), true, nil
		}
		return v, true, nil
	case "b":
		switch strings.TrimSpace(v) {
		case "1":
			return "TRUE", true, nil
		case "0":
			return "FALSE", true, nil
		}
		return v, true, nil
	case "str", "e", "d":
		return v, true, nil
	}
	n, exact := xlsxNumber(v)
	return n, exact, nil
}

// xlsxNumber is a numeric cell's text as a value: as stored, except that an
// exponent form is written out (9E0 is 9). exact is false for a whole number
// beyond 2^53 in exponent form, which has lost digits.
func xlsxNumber(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if !strings.ContainsAny(v, "eE") {
		return v, true
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return v, true // not a number: the cleaner says so
	}
	if f == math.Trunc(f) && math.Abs(f) > 1<<53 {
		return v, false
	}
	return strconv.FormatFloat(f, 'f', -1, 64), true
}

// refColumn is the 0-based column of a cell reference such as "AB12".
func refColumn(ref string) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case 'A' <= c && c <= 'Z':
			col = col*26 + int(c-'A') + 1
		case 'a' <= c && c <= 'z':
			col = col*26 + int(c-'a') + 1
		case c == '$' && i == 0:
			continue
		default:
			return col - 1, col > 0 && col <= xlsxMaxColumns
		}
		if col > xlsxMaxColumns {
			return 0, false
		}
	}
	return col - 1, col > 0
}

// columnName is the letters of a 0-based column: 0 is A, 26 is AA.
func columnName(col int) string {
	var b []byte
	for col++; col > 0; col = (col - 1) / 26 {
		b = append([]byte{byte('A' + (col-1)%26)}, b...)
	}
	return string(b)
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// unescapeOOXML decodes the _xHHHH_ escapes OOXML writes for characters
// XML cannot hold (a carriage return is _x000D_), as Excel reads them.
func unescapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if r, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(r))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// workbook is the zip package of an xlsx file.
type workbook struct {
	ctx       context.Context
	parts     map[string]*zip.File // by lower-case name
	maxRecord int
	main      string // the workbook part
	rels      map[string]xlsxRel
}

type xlsxRel struct{ typ, target string }

type xlsxSheet struct{ name, part string }

// budgetReaderAt fails reads past a budget: archive/zip reads the central
// directory's entries until one does not parse, however many the end
// record declares, and keeps each in memory.
type budgetReaderAt struct {
	r    io.ReaderAt
	left int64 // < 0: no budget
}

func (b *budgetReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if b.left >= 0 {
		if int64(len(p)) > b.left {
			return 0, fmt.Errorf("%w: the zip directory is over %d bytes", ErrPartTooLarge, xlsxMaxDirectory)
		}
		b.left -= int64(len(p))
	}
	return b.r.ReadAt(p, off)
}

func openWorkbook(in *inputFile, maxRecord int) (*workbook, error) {
	br := &budgetReaderAt{r: in, left: xlsxMaxDirectory + 2*(1<<16+22)}
	zr, err := zip.NewReader(br, in.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		if in.ctx.Err() != nil {
			return nil, in.ctx.Err()
		}
		if errors.Is(err, ErrPartTooLarge) {
			return nil, err
		}
		return nil, fmt.Errorf("not an xlsx workbook (a zip package), or a damaged one: %w", err)
	}
	br.left = -1 // the parts' own reads are bounded by part
	wb := &workbook{ctx: in.ctx, parts: make(map[string]*zip.File, len(zr.File)), maxRecord: maxRecord}
	for _, f := range zr.File {
		name := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/"))
		if _, dup := wb.parts[name]; !dup {
			wb.parts[name] = f
		}
	}
	wb.main = "xl/workbook.xml"
	rels, err := wb.relationships("")
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if strings.HasSuffix(r.typ, "/officeDocument") {
			wb.main = r.target
			break
		}
	}
	if _, ok := wb.parts[strings.ToLower(wb.main)]; !ok {
		return nil, errors.New("not an xlsx workbook: no workbook part (an .xls, .xlsb or encrypted file?)")
	}
	if wb.rels, err = wb.relationships(wb.main); err != nil {
		return nil, err
	}
	return wb, nil
}

// open starts inflating the part name, refusing it when it declares more
// than limit bytes. window bounds the bytes between two marks (rows,
// strings), from the part's start: < 0 for none.
func (wb *workbook) open(name string, limit, window int64) (*xmlPart, error) {
	f := wb.parts[strings.ToLower(name)]
	if f == nil {
		return nil, fmt.Errorf("part %s is missing", name)
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("part %s declares %d bytes inflated, over %d: %w", name, f.UncompressedSize64, limit, ErrPartTooLarge)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("part %s: %w", name, err)
	}
	r := &partReader{ctx: wb.ctx, rc: rc, name: name, size: f.UncompressedSize64, limit: limit, window: window}
	d := xml.NewDecoder(r)
	d.Strict = true
	return &xmlPart{d: d, r: r}, nil
}

// readMeta reads a small part whole; a missing part is nil.
func (wb *workbook) readMeta(name string) ([]byte, error) {
	if wb.parts[strings.ToLower(name)] == nil {
		return nil, nil
	}
	p, err := wb.open(name, xlsxMaxMeta, -1)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	return io.ReadAll(p.r)
}

// relationships reads the relationships of part ("" for the package's),
// with their targets resolved to part names.
func (wb *workbook) relationships(part string) (map[string]xlsxRel, error) {
	dir, base := path.Split(part)
	name := dir + "_rels/" + base + ".rels"
	b, err := wb.readMeta(name)
	if err != nil || b == nil {
		return nil, err
	}
	var doc struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("part %s: %w", name, err)
	}
	rels := make(map[string]xlsxRel, len(doc.Rels))
	for _, r := range doc.Rels {
		if strings.EqualFold(r.Mode, "External") {
			continue
		}
		t := strings.ReplaceAll(r.Target, `\`, "/")
		if strings.HasPrefix(t, "/") {
			t = path.Clean(t)[1:]
		} else {
			t = strings.TrimPrefix(path.Clean("/"+dir+t), "/")
		}
		if _, dup := rels[r.ID]; !dup {
			rels[r.ID] = xlsxRel{typ: r.Type, target: t}
		}
	}
	return rels, nil
}

// sheets lists the workbook's sheets in order, with their parts.
func (wb *workbook) sheets() ([]xlsxSheet, error) {
	b, err := wb.readMeta(wb.main)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"` // r:id
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("part %s: %w", wb.main, err)
	}
	var out []xlsxSheet
	for i, s := range doc.Sheets {
		part := wb.rels[s.ID].target
		if part == "" {
			part = fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1) // what writers without relationships name it
		}
		out = append(out, xlsxSheet{name: s.Name, part: part})
	}
	return out, nil
}

// sharedStrings loads the shared string table, which a sheet's text cells
// point into; a workbook without one has an empty table.
func (wb *workbook) sharedStrings() (*sharedStrings, error) {
	name := path.Join(path.Dir(wb.main), "sharedStrings.xml")
	for _, r := range wb.rels {
		if strings.HasSuffix(r.typ, "/sharedStrings") {
			name = r.target
			break
		}
	}
	ss := &sharedStrings{chunk: max(4<<20, 2*wb.maxRecord), ends: []uint32{0}}
	if wb.parts[strings.ToLower(name)] == nil {
		return ss, nil
	}
	p, err := wb.open(name, xlsxMaxShared, int64(wb.maxRecord)+xlsxSlack)
	if err != nil {
		return nil, err
	}
	defer p.Close()
	declared := int64(wb.parts[strings.ToLower(name)].UncompressedSize64)
	for {
		tok, err := p.token()
		if errors.Is(err, io.EOF) {
			return ss, nil
		}
		if err != nil {
			return nil, wb.stringErr(name, ss.len(), err)
		}
		if t, ok := tok.(xml.StartElement); !ok || t.Name.Local != "si" {
			continue
		}
		if ss.len() >= xlsxMaxStrings {
			return nil, fmt.Errorf("part %s holds more than %d strings: %w", name, xlsxMaxStrings, ErrPartTooLarge)
		}
		p.r.mark()
		s, err := p.richText()
		if err == nil && len(s) > wb.maxRecord {
			err = ErrRecordTooLong
		}
		if err != nil {
			return nil, wb.stringErr(name, ss.len(), err)
		}
		// Decoded text is never longer than its XML, and archive/zip fails a
		// part inflating past its declared size: what is left of the text
		// fits in what is left of the declared size.
		if err := ss.add(unescapeOOXML(s), declared-p.r.n); err != nil {
			return nil, fmt.Errorf("part %s: %w", name, err)
		}
	}
}

func (wb *workbook) stringErr(name string, i int, err error) error {
	if errors.Is(err, ErrRecordTooLong) {
		return fmt.Errorf("shared string %d: %w (%d)", i, ErrRecordTooLong, wb.maxRecord)
	}
	return fmt.Errorf("part %s: shared string %d: %w", name, i, err)
}

// sharedStrings is the table's text in chunks, which a string never
// spans, so that loading it never copies what was loaded: in memory, the
// text, what is left at the end of each chunk (under half of it), and 4
// bytes a string.
type sharedStrings struct {
	chunks [][]byte
	chunk  int      // the size of a chunk, at least twice a string's
	ends   []uint32 // string i ends at position ends[i+1]; a chunk's position is its index times chunk
}

// add appends s; at most left more bytes of text follow it.
func (ss *sharedStrings) add(s string, left int64) error {
	n := len(ss.chunks)
	if n == 0 || len(ss.chunks[n-1])+len(s) > cap(ss.chunks[n-1]) {
		if uint64(n+1)*uint64(ss.chunk) > math.MaxUint32 {
			return fmt.Errorf("more than %d bytes of text: %w", math.MaxUint32/2, ErrPartTooLarge)
		}
		ss.chunks = append(ss.chunks, make([]byte, 0, min(int64(ss.chunk), int64(len(s))+max(left, 0))))
		n++
	}
	c := &ss.chunks[n-1]
	*c = append(*c, s...)
	ss.ends = append(ss.ends, uint32((n-1)*ss.chunk+len(*c)))
	return nil
}

func (ss *sharedStrings) len() int { return len(ss.ends) - 1 }

func (ss *sharedStrings) at(i int) string {
	start, end := int(ss.ends[i]), int(ss.ends[i+1])
	if start == end {
		return ""
	}
	c := (end - 1) / ss.chunk
	start = max(start, c*ss.chunk) // the string opened chunk c
	return string(ss.chunks[c][start-c*ss.chunk : end-c*ss.chunk])
}

// xmlPart is a part being decoded.
type xmlPart struct {
	d *xml.Decoder
	r *partReader
}

func (x *xmlPart) Close() error { return x.r.rc.Close() }

// token is the next token. An error reading the part comes first: the
// decoder reports a read failing inside a character as invalid UTF-8.
func (x *xmlPart) token() (xml.Token, error) {
	tok, err := x.d.RawToken()
	if err != nil && x.r.err != nil {
		err = x.r.err
	}
	return tok, err
}

// inner is the next token inside an element whose end tag is still to
// come: the end of the part there is io.ErrUnexpectedEOF.
func (x *xmlPart) inner() (xml.Token, error) {
	tok, err := x.token()
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return tok, err
}

// skip skips the rest of the element whose start tag was just read.
func (x *xmlPart) skip() error {
	for depth := 1; depth > 0; {
		tok, err := x.inner()
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// text is the character data of the element whose start tag was just read.
func (x *xmlPart) text() (string, error) {
	var b []byte
	for depth := 1; ; {
		tok, err := x.inner()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b = append(b, t...)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth--; depth == 0 {
				return string(b), nil
			}
		}
	}
}

// richText is the text of a string item (<si>, <is>) whose start tag was
// just read: its <t> elements, directly or in runs, without the phonetic
// guides (<rPh>) and formatting.
func (x *xmlPart) richText() (string, error) {
	var b strings.Builder
	for {
		tok, err := x.inner()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return b.String(), nil
		case xml.StartElement:
			switch t.Name.Local {
			case "r":
				s, err := x.richText() // a run: its <t>, after its properties
				if err != nil {
					return "", err
				}
				b.WriteString(s)
			case "t":
				s, err := x.text()
				if err != nil {
					return "", err
				}
				b.WriteString(s)
			default:
				if err := x.skip(); err != nil {
					return "", err
				}
			}
		}
	}
}

// partReader inflates one part: reads fail with the context's error once
// it is done, with ErrPartTooLarge past limit bytes, and with
// ErrRecordTooLong past window bytes since the last mark (a row's start).
type partReader struct {
	ctx    context.Context
	rc     io.ReadCloser
	name   string
	size   uint64 // declared
	err    error  // the first error, but io.EOF
	n      int64  // bytes inflated
	limit  int64
	since  int64 // n at the last mark
	window int64 // < 0: none
}

// mark starts a row (or a shared string): the next window bytes may hold it.
func (r *partReader) mark() { r.since = r.n }

func (r *partReader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	k, err := r.read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		r.err = err
	}
	return k, err
}

func (r *partReader) read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	if r.n > r.limit {
		return 0, fmt.Errorf("part %s inflates past %d bytes: %w", r.name, r.limit, ErrPartTooLarge)
	}
	if r.window >= 0 && r.n-r.since > r.window {
		return 0, ErrRecordTooLong
	}
	if max := r.limit + 1 - r.n; int64(len(p)) > max {
		p = p[:max] // one byte past the limit tells a part at the limit from one over it
	}
	k, err := r.rc.Read(p)
	r.n += int64(k)
	switch {
	case err == nil, errors.Is(err, io.EOF):
	case r.ctx.Err() != nil:
		err = r.ctx.Err() // the read was released by cancellation
	case errors.Is(err, zip.ErrFormat): // archive/zip's check of the declared size
		err = fmt.Errorf("part %s inflates past the %d bytes it declares: %w", r.name, r.size, err)
	default:
		err = fmt.Errorf("part %s: %w", r.name, err)
	}
	return k, err
}
