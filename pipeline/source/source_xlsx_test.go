package source

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// xlsxPart is one entry of a hand-built workbook: data, or a bomb.
type xlsxPart struct {
	name string
	data string
	bomb *xlsxBomb
}

// xlsxBomb is a part of head, mib MiB of fill and tail, compressed about
// 1,000:1 without deflating the fill: one MiB of it is deflated once and
// its blocks repeated, since they only refer back to the fill.
type xlsxBomb struct {
	head, tail string
	fill       byte
	mib        int64
	declared   int64 // the inflated size the zip declares; 0: the true size
}

// writeXLSX writes a workbook package with one sheet, "S", whose parts are
// the defaults below replaced or completed by parts.
func writeXLSX(tb testing.TB, path string, parts ...xlsxPart) {
	tb.Helper()
	defaults := []xlsxPart{
		{name: "[Content_Types].xml", data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{name: "_rels/.rels", data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>`},
		{name: "xl/workbook.xml", data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{name: "xl/_rels/workbook.xml.rels", data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
	}
	for _, d := range defaults {
		if !slices.ContainsFunc(parts, func(p xlsxPart) bool { return p.name == d.name }) {
			parts = append(parts, d)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, p := range parts {
		if p.bomb != nil {
			err = writeBomb(zw, p.name, p.bomb)
		} else {
			var w io.Writer
			if w, err = zw.Create(p.name); err == nil {
				_, err = io.WriteString(w, p.data)
			}
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
}

func writeBomb(zw *zip.Writer, name string, b *xlsxBomb) error {
	mib := bytes.Repeat([]byte{b.fill}, 1<<20)
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write([]byte(b.head))
	fw.Write(mib)
	fw.Flush()
	first := len(buf.Bytes())
	fw.Write(mib)
	fw.Flush() // a sync flush ends on a byte: the blocks repeat
	again := bytes.Clone(buf.Bytes()[first:])
	head := bytes.Clone(buf.Bytes()[:first])
	// The tail: a final stored block.
	tail := []byte{1, byte(len(b.tail)), byte(len(b.tail) >> 8), ^byte(len(b.tail)), ^byte(len(b.tail) >> 8)}
	tail = append(tail, b.tail...)

	crc := crc32.NewIEEE()
	crc.Write([]byte(b.head))
	for range b.mib {
		crc.Write(mib)
	}
	crc.Write([]byte(b.tail))
	size := int64(len(b.head)) + b.mib<<20 + int64(len(b.tail))
	declared := size
	if b.declared > 0 {
		declared = b.declared
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64: uint64(len(head) + int(b.mib-1)*len(again) + len(tail)), UncompressedSize64: uint64(declared)})
	if err != nil {
		return err
	}
	w.Write(head)
	for range b.mib - 1 {
		w.Write(again)
	}
	_, err = w.Write(tail)
	return err
}

// sheetXML is a worksheet holding rows (each a run of <c> elements).
func sheetXML(rows ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i, r := range rows {
		fmt.Fprintf(&b, `<row r="%d">%s</row>`, i+1, r)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.String()
}

const sstOpen = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`

// inl is an inline string cell, num a number cell.
func inl(ref, s string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + s + `</t></is></c>`
}
func num(ref, v string) string { return `<c r="` + ref + `"><v>` + v + `</v></c>` }

const xlsxHeader = `<c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>score</t></is></c><c r="C1" t="inlineStr"><is><t>text</t></is></c>`

// xlsxSheetHead is a sheet up to the text of row 2's third cell.
const xlsxSheetHead = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">` + xlsxHeader + `</row><row r="2"><c r="A2" t="inlineStr"><is><t>R1</t></is></c><c r="B2"><v>9</v></c><c r="C2" t="inlineStr"><is><t>`

// allocDuring is the bytes allocated while f runs.
func allocDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestXLSXBombs: a part that inflates to gigabytes is skipped when the
// reader does not need it, refused by its declared size, or stopped within
// max_record_bytes of a row; a part lying about its size is stopped at the
// size it declared. None is inflated: each case allocates less than 64 MiB.
func TestXLSXBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("inflates big workbooks: slow; run without -short")
	}
	good := sheetXML(xlsxHeader, inl("A2", "R1")+num("B2", "9")+inl("C2", "好"))
	many := []xlsxPart{{name: "xl/worksheets/sheet1.xml", data: good}}
	for i := range 100_000 { // 8 MB of zip directory
		many = append(many, xlsxPart{name: fmt.Sprintf("xl/media/image%035d.png", i)})
	}
	tests := []struct {
		name  string
		parts []xlsxPart
		want  error    // nil: the rows below
		rows  []string // records read
	}{
		{"an unused 1 GiB docProps/custom.xml is never read", []xlsxPart{
			{name: "xl/worksheets/sheet1.xml", data: good},
			{name: "docProps/custom.xml", bomb: &xlsxBomb{head: "<Properties>", fill: ' ', mib: 1024, tail: "</Properties>"}},
		}, nil, []string{"2:R1|9|好"}},
		{"a 1 GiB cell", []xlsxPart{
			{name: "xl/worksheets/sheet1.xml", bomb: &xlsxBomb{head: xlsxSheetHead, fill: 'a', mib: 1024, tail: "</t></is></c></row></sheetData></worksheet>"}},
		}, ErrRecordTooLong, nil},
		{"a sheet of 1 GiB of spaces after its header", []xlsxPart{
			{name: "xl/worksheets/sheet1.xml", bomb: &xlsxBomb{head: `<worksheet><sheetData><row r="1">` + xlsxHeader + `</row>`, fill: ' ', mib: 1024, tail: "</sheetData></worksheet>"}},
		}, ErrRecordTooLong, nil},
		{"a sheet of 1 GiB of spaces before its first row", []xlsxPart{
			{name: "xl/worksheets/sheet1.xml", bomb: &xlsxBomb{head: `<worksheet><sheetData>`, fill: ' ', mib: 1024, tail: "</sheetData></worksheet>"}},
		}, ErrRecordTooLong, nil},
		{"a 1 GiB shared string table", []xlsxPart{
			{name: "xl/worksheets/sheet1.xml", data: good},
			{name: "xl/sharedStrings.xml", bomb: &xlsxBomb{head: sstOpen + "<si><t>", fill: 'a', mib: 1024, tail: "</t></si></sst>"}},
		}, ErrPartTooLarge, nil},
		{"a 200 MiB shared string", []xlsxPart{
			{name: "xl/worksheets/sheet1.xml", data: good},
			{name: "xl/sharedStrings.xml", bomb: &xlsxBomb{head: sstOpen + "<si><t>", fill: 'a', mib: 200, tail: "</t></si></sst>"}},
		}, ErrRecordTooLong, nil},
		{"a sheet declaring 64 KiB that inflates to 1 GiB", []xlsxPart{
			{name: "xl/worksheets/sheet1.xml", bomb: &xlsxBomb{head: `<worksheet><sheetData><row r="1">` + xlsxHeader + `</row>`, fill: ' ', mib: 1024, tail: "</sheetData></worksheet>", declared: 64 << 10}},
		}, zip.ErrFormat, nil},
		{"a workbook part declaring 1 KiB that inflates to 1 GiB", []xlsxPart{
			{name: "xl/worksheets/sheet1.xml", data: good},
			{name: "xl/workbook.xml", bomb: &xlsxBomb{head: "<workbook>", fill: ' ', mib: 1024, tail: "</workbook>", declared: 1 << 10}},
		}, zip.ErrFormat, nil},
		{"a workbook part of 1 GiB", []xlsxPart{
			{name: "xl/worksheets/sheet1.xml", data: good},
			{name: "xl/workbook.xml", bomb: &xlsxBomb{head: "<workbook>", fill: ' ', mib: 1024, tail: "</workbook>"}},
		}, ErrPartTooLarge, nil},
		{"100,000 parts", many, ErrPartTooLarge, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bomb.xlsx")
			writeXLSX(t, p, tt.parts...)
			var err error
			var got []string
			start := time.Now()
			alloc := allocDuring(func() {
				var src Source
				if src, err = Open(context.Background(), p, Options{Columns: cols}); err != nil {
					return
				}
				defer src.Close()
				for {
					var rec Record
					if rec, err = src.Next(); err != nil {
						break
					}
					got = append(got, fmt.Sprintf("%d:%s", rec.Line, strings.Join(rec.Values, "|")))
				}
				if errors.Is(err, io.EOF) {
					err = nil
				}
			})
			t.Logf("%v, %d MiB allocated in %s", err, alloc>>20, time.Since(start).Round(time.Millisecond))
			switch {
			case tt.want == nil && err != nil:
				t.Errorf("err = %v, want the rows", err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("err = %v, want %v", err, tt.want)
			case err != nil && !strings.Contains(err.Error(), "bomb.xlsx"):
				t.Errorf("err = %v, does not name the file", err)
			case !slices.Equal(got, tt.rows):
				t.Errorf("rows %q, want %q", got, tt.rows)
			}
			if errors.Is(tt.want, ErrRecordTooLong) && !strings.Contains(err.Error(), "row ") && !strings.Contains(err.Error(), "shared string 0") {
				t.Errorf("err = %v, does not name the row", err)
			}
			if alloc > 64<<20 {
				t.Errorf("%d MiB allocated, want under 64: the reader inflated the bomb", alloc>>20)
			}
		})
	}
}

// TestXLSXRecordBound: max_record_bytes bounds an xlsx row, in its XML and
// in its values once shared strings are looked up.
func TestXLSXRecordBound(t *testing.T) {
	long := strings.Repeat("长", 2000) // 6,000 bytes
	sst := sstOpen + `<si><t>` + strings.Repeat("x", 900) + `</t></si><si><r><rPr><b/></rPr><t>信号</t></r><r><t>好</t></r><rPh><t>しんごう</t></rPh></si></sst>`
	tests := []struct {
		name, sheet string
		want        []string // records, or the error's text
	}{
		{"short rows", sheetXML(xlsxHeader, inl("A2", "R1")+num("B2", "9")+`<c r="C2" t="s"><v>1</v></c>`), []string{"2:R1|9|信号好"}},
		{"a cell over the bound", sheetXML(xlsxHeader, inl("A2", "R1")+num("B2", "9")+inl("C2", "ok"), inl("A3", "R2")+num("B3", "9")+inl("C3", long)), []string{"2:R1|9|ok", "row 3: record longer than input.max_record_bytes (4096)"}},
		{"shared strings over the bound together", sheetXML(xlsxHeader, inl("A2", "R1")+num("B2", "9")+strings.Repeat(`<c t="s"><v>0</v></c>`, 5)), []string{"row 2: record longer than input.max_record_bytes (4096)"}},
		{"a row of many cells", sheetXML(xlsxHeader, inl("A2", "R1")+num("B2", "9")+strings.Repeat(`<c><v>1</v></c>`, 500)), []string{"row 2: record longer than input.max_record_bytes (4096)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "big.xlsx")
			writeXLSX(t, p, xlsxPart{name: "xl/worksheets/sheet1.xml", data: tt.sheet}, xlsxPart{name: "xl/sharedStrings.xml", data: sst})
			in, err := openInput(context.Background(), p, false)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			r, err := openXLSX(in, "", cols, 4096)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var got []string
			for {
				rec, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					if !strings.Contains(err.Error(), "big.xlsx") {
						t.Errorf("err %v does not name the file", err)
					}
					got = append(got, err.Error()[strings.Index(err.Error(), "row "):])
					break
				}
				got = append(got, fmt.Sprintf("%d:%s", rec.Line, strings.Join(rec.Values, "|")))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestXLSXNumbers: numbers are read as the sheet stores them, ids digit for
// digit; a whole number past 2^53 in exponent form has lost digits and its
// row is rejected (inexact_number), never merged with another.
func TestXLSXNumbers(t *testing.T) {
	rows := []string{xlsxHeader + `<c r="D1" t="inlineStr"><is><t>flag</t></is></c>`,
		num("A2", "2026113000000000001") + num("B2", "9") + inl("C2", "好"),
		num("A3", "2026113000000000002") + num("B3", "9.0") + inl("C3", "好"),
		num("A4", "2.0261130000000005E+18") + num("B4", "10") + inl("C4", "好"),
		num("A5", "1.23456789012345E+14") + num("B5", "9E0") + inl("C5", "好"),
		inl("A6", "R6") + num("B6", "8.5") + inl("C6", "a_x000D_b") + `<c r="D6" t="b"><v>1</v></c>`,
		inl("A7", "R7") + num("B7", "7") + inl("C7", "x") + num("D7", "2.0261130000000005E+18"), // not asked for: kept
		``, // an empty row
		`<c r="B9"><v>3</v></c><c r="A9" t="str"><v>R9</v></c>`,
	}
	p := filepath.Join(t.TempDir(), "ids.xlsx")
	writeXLSX(t, p, xlsxPart{name: "xl/worksheets/sheet1.xml", data: sheetXML(rows...)})
	src, err := Open(context.Background(), p, Options{Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	want := []string{"2:2026113000000000001|9|好", "3:2026113000000000002|9.0|好", "4:!inexact_number",
		"5:123456789012345|9|好", "6:R6|8.5|a\rb", "7:R7|7|x", "9:R9|3|"}
	if got := readAll(t, src); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestXLSX500NumericIDs: 500 respondents with 19-digit ids stored as
// numbers: digit for digit as integers, each rejected with a reason when
// stored as floats that lost the digits; never taken for duplicates.
func TestXLSX500NumericIDs(t *testing.T) {
	for _, form := range []string{"integer", "float"} {
		t.Run(form, func(t *testing.T) {
			rows := []string{xlsxHeader}
			for i := range 500 {
				id := fmt.Sprint(2026113000000000000 + i)
				if form == "float" {
					id = strings.ToUpper(fmt.Sprint(float64(2026113000000000000 + i))) // 2.026113E+18, as Excel, .NET and Java write
				}
				rows = append(rows, num(fmt.Sprint("A", i+2), id)+num(fmt.Sprint("B", i+2), "8")+inl(fmt.Sprint("C", i+2), "好"))
			}
			p := filepath.Join(t.TempDir(), "ids.xlsx")
			writeXLSX(t, p, xlsxPart{name: "xl/worksheets/sheet1.xml", data: sheetXML(rows...)})
			src, err := Open(context.Background(), p, Options{Columns: cols})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			ids := map[string]bool{}
			rejected := 0
			for {
				rec, err := src.Next()
				var re *RecordError
				if errors.As(err, &re) && re.Reason == ReasonInexactNumber {
					if rejected++; !strings.Contains(re.Error(), "ids.xlsx:") || !strings.Contains(re.Error(), "column A (id): 2.02611") {
						t.Errorf("reject %v does not name the file, row, column and value", re)
					}
					continue
				}
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				ids[rec.Values[0]] = true
			}
			want := map[string][2]int{"integer": {500, 0}, "float": {0, 500}}[form]
			if len(ids) != want[0] || rejected != want[1] {
				t.Errorf("%d distinct ids and %d rejected, want %d and %d", len(ids), rejected, want[0], want[1])
			}
		})
	}
}

// TestXLSXLikeExcelize: a workbook written by excelize (shared strings,
// rich text, numbers, formulas, gaps, escapes) reads as excelize reads its
// raw values, booleans aside.
func TestXLSXLikeExcelize(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "问卷")
	f.NewSheet("其他")
	f.SetSheetRow("其他", "A1", &[]any{"not", "this", "one"})
	f.SetSheetRow("问卷", "A1", &[]any{"序号", "id", "score", "text", "region"})
	f.SetSheetRow("问卷", "A2", &[]any{1, "R1", 10, "服务好", " 华东 "})
	f.SetSheetRow("问卷", "A3", &[]any{2, int64(2026113000000000123), 4.0, "信号差\r\n\t第二行 _x0041_", nil})
	f.SetSheetRow("问卷", "A5", &[]any{3, "R3", 0.5, "", "华南"})
	f.SetCellRichText("问卷", "D5", []excelize.RichTextRun{{Text: "粗", Font: &excelize.Font{Bold: true}}, {Text: "体"}})
	f.SetCellFormula("问卷", "A6", "1+1")
	f.SetCellValue("问卷", "B6", "R6")
	f.SetCellValue("问卷", "C6", 1e21)
	f.SetCellValue("问卷", "E6", 3.25)
	f.SetCellValue("问卷", "A7", "") // an empty row
	p := filepath.Join(t.TempDir(), "survey.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	want, err := f.GetRows("问卷", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	columns := []string{"序号", "id", "score", "text", "region"}
	src, err := Open(context.Background(), p, Options{Sheet: "问卷", Columns: columns})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var got [][]string
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, rec.Fields)
	}
	var rows [][]string
	for _, r := range want[1:] {
		if len(r) > 0 {
			rows = append(rows, r)
		}
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", rows) {
		t.Errorf("got  %q\nwant %q", got, rows)
	}
}

// TestXLSXCancel: a cancelled run stops reading a sheet at once, and stops
// loading a large shared string table.
func TestXLSXCancel(t *testing.T) {
	var sheet, sst strings.Builder
	sst.WriteString(sstOpen + "")
	sheet.WriteString(`<worksheet><sheetData><row r="1">` + xlsxHeader + `</row>`)
	for i := range 200_000 {
		fmt.Fprintf(&sst, "<si><t>第%d条原因，信号不好，网速太慢</t></si>", i)
		fmt.Fprintf(&sheet, `<row r="%d"><c><v>%d</v></c><c><v>9</v></c><c t="s"><v>%d</v></c></row>`, i+2, i, i)
	}
	sst.WriteString("</sst>")
	sheet.WriteString("</sheetData></worksheet>")
	p := filepath.Join(t.TempDir(), "big.xlsx")
	writeXLSX(t, p, xlsxPart{name: "xl/worksheets/sheet1.xml", data: sheet.String()}, xlsxPart{name: "xl/sharedStrings.xml", data: sst.String()})

	t.Run("while reading rows", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		src, err := Open(ctx, p, Options{Columns: cols})
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		for range 10 {
			if _, err := src.Next(); err != nil {
				t.Fatal(err)
			}
		}
		cancel()
		n := 0
		for ; n < 100_000; n++ {
			if _, err := src.Next(); err != nil {
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
				break
			}
		}
		if n > 200 { // what the decoder's 4 KiB buffer holds
			t.Errorf("%d rows read after the cancellation", n)
		}
	})
	t.Run("while opening", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		start := time.Now()
		time.AfterFunc(20*time.Millisecond, cancel)
		src, err := Open(ctx, p, Options{Columns: cols})
		if err == nil {
			for err == nil {
				_, err = src.Next()
			}
			src.Close()
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("stopped after %s", d)
		}
	})
}

// TestXLSXWritesNoTempFiles: reading a large sheet writes nothing to the
// temporary folder (excelize wrote sheets over 16 MiB there, which a killed
// run left behind).
func TestXLSXWritesNoTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var sheet strings.Builder
	sheet.WriteString(`<worksheet><sheetData><row r="1">` + xlsxHeader + `</row>`)
	for i := 0; sheet.Len() < 20<<20; i++ {
		fmt.Fprintf(&sheet, `<row r="%d"><c t="inlineStr"><is><t>R%d</t></is></c><c><v>9</v></c><c t="inlineStr"><is><t>信号不好，网速太慢，客服态度差</t></is></c></row>`, i+2, i)
	}
	sheet.WriteString("</sheetData></worksheet>")
	p := filepath.Join(t.TempDir(), "big.xlsx")
	writeXLSX(t, p, xlsxPart{name: "xl/worksheets/sheet1.xml", data: sheet.String()})
	src, err := Open(context.Background(), p, Options{Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Next(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("while reading, the temporary folder holds %s", left[0].Name())
	}
}

func TestXLSXDamaged(t *testing.T) {
	good := sheetXML(xlsxHeader, inl("A2", "R1")+num("B2", "9")+inl("C2", "好"))
	tests := []struct {
		name  string
		parts []xlsxPart
		want  string
	}{
		{"no sheet part", nil, "part xl/worksheets/sheet1.xml is missing"},
		{"a cell past column XFD", []xlsxPart{{name: "xl/worksheets/sheet1.xml", data: sheetXML(xlsxHeader, inl("XFE2", "x"))}}, "row 2: cell reference"},
		{"a shared string not in the table", []xlsxPart{{name: "xl/worksheets/sheet1.xml", data: sheetXML(xlsxHeader, `<c t="s"><v>7</v></c>`)}}, "row 2: shared string \"7\" is not in the table of 0"},
		{"truncated sheet", []xlsxPart{{name: "xl/worksheets/sheet1.xml", data: good[:len(good)-40]}}, "row 2: XML syntax error on line 2: unexpected EOF"},
		{"a row past Excel's last", []xlsxPart{{name: "xl/worksheets/sheet1.xml", data: strings.Replace(sheetXML(xlsxHeader), "</sheetData>", `<row r="1048577"><c><v>1</v></c></row></sheetData>`, 1)}}, "row 1048577: more rows than a sheet holds"},
		{"no header", []xlsxPart{{name: "xl/worksheets/sheet1.xml", data: sheetXML()}}, ErrEmptyFile.Error()},
		{"no workbook", []xlsxPart{{name: "xl/workbook.xml", data: ""}, {name: "_rels/.rels", data: `<Relationships><Relationship Type="x/officeDocument" Target="nowhere.xml"/></Relationships>`}}, "no workbook part"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bad.xlsx")
			writeXLSX(t, p, tt.parts...)
			src, err := Open(context.Background(), p, Options{Columns: cols})
			if err == nil {
				err = drain(src)
				src.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "bad.xlsx") {
				t.Errorf("err = %v, want %q naming the file", err, tt.want)
			}
		})
	}
	if _, err := Open(context.Background(), writeFile(t, "x.xlsx", []byte("id,score,text\n")), Options{Columns: cols}); err == nil || !strings.Contains(err.Error(), "not an xlsx workbook") {
		t.Errorf("a CSV named .xlsx: err = %v", err)
	}
}

// FuzzXLSX: any bytes as an .xlsx file never panic nor hang, and every
// record has one value per requested column. In CI:
// go test ./pipeline/source -run '^$' -fuzz FuzzXLSX -fuzztime 20s
func FuzzXLSX(f *testing.F) {
	wb := excelize.NewFile()
	wb.SetSheetRow("Sheet1", "A1", &[]any{"id", "score", "text"})
	wb.SetSheetRow("Sheet1", "A2", &[]any{"R1", 9, "信号好"})
	wb.SetSheetRow("Sheet1", "A3", &[]any{int64(2026113000000000001), 9.0, "网速慢"})
	var buf bytes.Buffer
	if err := wb.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	p := filepath.Join(f.TempDir(), "seed.xlsx")
	writeXLSX(f, p, xlsxPart{name: "xl/worksheets/sheet1.xml", data: sheetXML(xlsxHeader, num("A2", "2.0261130000000005E+18")+`<c t="s"><v>0</v></c>`)},
		xlsxPart{name: "xl/sharedStrings.xml", data: sstOpen + `<si><r><t>a</t></r><rPh><t>b</t></rPh></si></sst>`})
	seed, _ := os.ReadFile(p)
	f.Add(seed)
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "f.xlsx")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		src, err := Open(context.Background(), p, Options{Columns: cols})
		if err != nil {
			return
		}
		defer src.Close()
		for range 100_000 {
			rec, err := src.Next()
			var re *RecordError
			switch {
			case errors.Is(err, io.EOF):
				return
			case errors.As(err, &re):
				continue
			case err != nil:
				return
			}
			if len(rec.Values) != len(cols) || rec.Line < 1 {
				t.Fatalf("record %+v", rec)
			}
		}
	})
}

// BenchmarkXLSX reads a sheet of 20,000 survey rows (20 columns, shared
// strings), as exported.
func BenchmarkXLSX(b *testing.B) {
	var sheet, sst strings.Builder
	sst.WriteString(sstOpen)
	sheet.WriteString(`<worksheet><sheetData><row r="1">` + xlsxHeader + `</row>`)
	for i := range 20_000 {
		fmt.Fprintf(&sst, "<si><t>第%d条原因，信号不好，网速太慢，客服态度也一般</t></si>", i)
		fmt.Fprintf(&sheet, `<row r="%d" spans="1:20"><c r="A%d"><v>%d</v></c><c r="B%d"><v>9</v></c><c r="C%d" t="s"><v>%d</v></c>`, i+2, i+2, 2026113000000000000+i, i+2, i+2, i)
		for c := 'D'; c <= 'T'; c++ {
			fmt.Fprintf(&sheet, `<c r="%c%d" s="1"><v>%d.5</v></c>`, c, i+2, c)
		}
		sheet.WriteString("</row>")
	}
	sst.WriteString("</sst>")
	sheet.WriteString("</sheetData></worksheet>")
	p := filepath.Join(b.TempDir(), "bench.xlsx")
	writeXLSX(b, p, xlsxPart{name: "xl/worksheets/sheet1.xml", data: sheet.String()}, xlsxPart{name: "xl/sharedStrings.xml", data: sst.String()})
	b.SetBytes(int64(sheet.Len() + sst.Len()))
	b.ReportAllocs()
	for b.Loop() {
		src, err := Open(context.Background(), p, Options{Columns: cols})
		if err != nil {
			b.Fatal(err)
		}
		if err := drain(src); err != nil {
			b.Fatal(err)
		}
		src.Close()
	}
}
