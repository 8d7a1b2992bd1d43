package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vocmine/vocmine/examples"
	"github.com/vocmine/vocmine/pipeline"
)

// The xlsx reader's attacks (issue 15): zip bombs in a part the reader
// skips, in a cell and in a sheet; 19-digit ids stored as numbers; SIGTERM
// while a workbook is read. The bombs are written without deflating their
// gigabytes (see writeBombPart), in well under a second each.

// xlsxEntry is one part of a hand-built workbook: data, or a bomb of head,
// mib MiB of fill, then tail.
type xlsxEntry struct {
	name, data string
	head, tail string
	fill       byte
	mib        int64
}

const (
	xlsxNS     = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	xlsxHeader = `<c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>score</t></is></c><c r="C1" t="inlineStr"><is><t>text</t></is></c>`
)

// writeWorkbook writes an xlsx package with the one sheet "S" and its
// relationships, plus entries (the sheet, xl/worksheets/sheet1.xml, among
// them), which replace the base parts of their name. level is the deflate
// level of the data entries.
func writeWorkbook(t *testing.T, path string, level int, entries ...xlsxEntry) {
	t.Helper()
	base := []xlsxEntry{
		{name: "[Content_Types].xml", data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>`},
		{name: "_rels/.rels", data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>`},
		{name: "xl/workbook.xml", data: `<?xml version="1.0" encoding="UTF-8"?><workbook ` + xlsxNS + ` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{name: "xl/_rels/workbook.xml.rels", data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	zw := zip.NewWriter(bw)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, level) })
	for _, b := range base {
		if !slices.ContainsFunc(entries, func(e xlsxEntry) bool { return e.name == b.name }) {
			entries = append(entries, b)
		}
	}
	for _, e := range entries {
		if e.mib > 0 {
			err = writeBombPart(zw, e)
		} else {
			var w io.Writer
			if w, err = zw.Create(e.name); err == nil {
				_, err = io.WriteString(w, e.data)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
}

// writeBombPart writes e's head, mib MiB of fill and tail as one deflated
// entry, about 1,000:1, deflating one MiB of fill: the blocks of a second
// MiB refer only to the fill before them, and are repeated.
func writeBombPart(zw *zip.Writer, e xlsxEntry) error {
	mib := bytes.Repeat([]byte{e.fill}, 1<<20)
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write([]byte(e.head))
	fw.Write(mib)
	fw.Flush()
	first := buf.Len()
	fw.Write(mib)
	fw.Flush() // a sync flush ends on a byte boundary: the blocks can repeat
	head, again := bytes.Clone(buf.Bytes()[:first]), bytes.Clone(buf.Bytes()[first:])
	tail := append([]byte{1, byte(len(e.tail)), byte(len(e.tail) >> 8), ^byte(len(e.tail)), ^byte(len(e.tail) >> 8)}, e.tail...) // a final stored block
	crc := crc32.NewIEEE()
	crc.Write([]byte(e.head))
	for range e.mib {
		crc.Write(mib)
	}
	crc.Write([]byte(e.tail))
	w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: crc.Sum32(),
		CompressedSize64:   uint64(len(head) + int(e.mib-1)*len(again) + len(tail)),
		UncompressedSize64: uint64(len(e.head)) + uint64(e.mib)<<20 + uint64(len(e.tail))})
	if err != nil {
		return err
	}
	w.Write(head)
	for range e.mib - 1 {
		w.Write(again)
	}
	_, err = w.Write(tail)
	return err
}

// surveySheet is a sheet of the header and rows of cells.
func surveySheet(rows ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet ` + xlsxNS + `><sheetData><row r="1">` + xlsxHeader + `</row>`)
	for i, r := range rows {
		fmt.Fprintf(&b, `<row r="%d">%s</row>`, i+2, r)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.String()
}

func surveyRow(n int, id, score, text string) string {
	return fmt.Sprintf(`<c r="A%d"><v>%s</v></c><c r="B%d"><v>%s</v></c><c r="C%d" t="inlineStr"><is><t>%s</t></is></c>`, n, id, n, score, n, text)
}

// TestHostileXLSXCustomXMLBomb: a 2 GiB docProps/custom.xml, a part the
// reader never needs, is skipped: the run publishes.
func TestHostileXLSXCustomXMLBomb(t *testing.T) {
	in := filepath.Join(t.TempDir(), "bomb.xlsx")
	writeWorkbook(t, in, flate.DefaultCompression,
		xlsxEntry{name: "xl/worksheets/sheet1.xml", data: surveySheet(surveyRow(2, "1", "9", "信号很好"), surveyRow(3, "2", "3", "资费太贵"))},
		xlsxEntry{name: "docProps/custom.xml", head: `<?xml version="1.0"?><Properties>`, fill: ' ', mib: 2048, tail: `</Properties>`})
	a := hostileRun(t, in, "", time.Minute)
	if a.code != 0 {
		t.Fatalf("exit %d, want 0: the part is not read\n%s", a.code, a.stderr)
	}
	if _, err := os.Stat(filepath.Join(a.out, "_runs", "run_date=2026-12-01", "_SUCCESS")); err != nil {
		t.Error(err)
	}
}

// TestHostileXLSXHugeCell: a 3 GiB cell fails the file at once, past
// input.max_record_bytes, naming the file and the row.
func TestHostileXLSXHugeCell(t *testing.T) {
	in := filepath.Join(t.TempDir(), "cell.xlsx")
	head := strings.TrimSuffix(surveySheet(), `</sheetData></worksheet>`) + `<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>9</v></c><c r="C2" t="inlineStr"><is><t>`
	writeWorkbook(t, in, flate.DefaultCompression,
		xlsxEntry{name: "xl/worksheets/sheet1.xml", head: head, fill: 'a', mib: 3072, tail: `</t></is></c></row></sheetData></worksheet>`})
	a := hostileRun(t, in, "", time.Minute)
	if a.code != 65 || !strings.Contains(a.stderr, "cell.xlsx: row 2: record longer than input.max_record_bytes") {
		t.Errorf("exit %d, want 65 naming the file and the row\n%s", a.code, a.stderr)
	}
}

// TestHostileXLSXWhitespaceSheet: a sheet of gigabytes of spaces after its
// header fails the file: refused by the size it declares past 4 GiB, and
// within max_record_bytes of its last row under it.
func TestHostileXLSXWhitespaceSheet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary on big workbooks: slow; run without -short")
	}
	for _, tt := range []struct {
		mib  int64
		want string
	}{
		{6144, "spaces.xlsx: sheet \"S\": part xl/worksheets/sheet1.xml declares 6442451"},
		{3072, "spaces.xlsx: row 2: record longer than input.max_record_bytes"},
	} {
		t.Run(fmt.Sprintf("%d GiB", tt.mib>>10), func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "spaces.xlsx")
			writeWorkbook(t, in, flate.DefaultCompression,
				xlsxEntry{name: "xl/worksheets/sheet1.xml", head: strings.TrimSuffix(surveySheet(), `</sheetData></worksheet>`), fill: ' ', mib: tt.mib, tail: `</sheetData></worksheet>`})
			a := hostileRun(t, in, "", time.Minute)
			if a.code != 65 || !strings.Contains(a.stderr, tt.want) {
				t.Errorf("exit %d, want 65 and %q\n%s", a.code, tt.want, a.stderr)
			}
		})
	}
}

// TestHostileXLSXNumericIDs: 500 respondents whose 19-digit ids are stored
// as numbers, as survey platforms export them: digit for digit where the
// sheet holds the integer, rejected as inexact_number where it holds a
// float that lost the digits (2.026113E+18); none is taken for another's
// duplicate.
func TestHostileXLSXNumericIDs(t *testing.T) {
	var rows []string
	for i := range 500 {
		id := fmt.Sprint(2026113000000000000 + i)
		if i%2 == 1 {
			id = strings.ToUpper(fmt.Sprint(float64(2026113000000000000 + i))) // as Excel, .NET and Java write a double
		}
		rows = append(rows, surveyRow(i+2, id, "8", "信号很好"))
	}
	in := filepath.Join(t.TempDir(), "ids.xlsx")
	writeWorkbook(t, in, flate.DefaultCompression, xlsxEntry{name: "xl/worksheets/sheet1.xml", data: surveySheet(rows...)})
	a := hostileRun(t, in, "input:\n  path: "+in+"\n  max_rejects: 1000\n", time.Minute)
	if a.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", a.code, a.stderr)
	}
	b, err := os.ReadFile(filepath.Join(a.out, "_runs", "run_date=2026-12-01", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Counts struct{ Read, Accepted, Rejected, Duplicates int }
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if c := m.Counts; c.Read != 500 || c.Accepted != 250 || c.Rejected != 250 || c.Duplicates != 0 {
		t.Errorf("counts %+v, want 500 read, 250 accepted, 250 rejected, no duplicate", c)
	}
	rejects, _ := os.ReadFile(filepath.Join(a.out, "_runs", "run_date=2026-12-01", "rejects.csv"))
	if n := strings.Count(string(rejects), "inexact_number"); n != 250 {
		t.Errorf("%d inexact_number rejects, want 250", n)
	}
}

// TestHostileXLSXSIGTERM: SIGTERM while a large workbook is read ends the
// run within 5 s, with exit 130 and no temporary file left.
func TestHostileXLSXSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("signals the binary on a big workbook: slow; run without -short")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "big.xlsx")
	// 80 MB of shared strings, which a reader loads before the rows, and
	// 20,000 rows pointing into them: seconds to read.
	var sheet, sst strings.Builder
	sst.WriteString(`<sst ` + xlsxNS + `>`)
	for i := range 1_000_000 {
		fmt.Fprintf(&sst, "<si><t>第%d条：信号很好，网速也快，就是资费太贵</t></si>", i)
	}
	sst.WriteString(`</sst>`)
	sheet.WriteString(strings.TrimSuffix(surveySheet(), `</sheetData></worksheet>`))
	for i := range 20_000 {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>9</v></c><c r="C%d" t="s"><v>%d</v></c></row>`, i+2, i+2, i, i+2, i+2, i*50)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	rels := `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
	writeWorkbook(t, in, flate.BestSpeed, xlsxEntry{name: "xl/worksheets/sheet1.xml", data: sheet.String()},
		xlsxEntry{name: "xl/sharedStrings.xml", data: sst.String()}, xlsxEntry{name: "xl/_rels/workbook.xml.rels", data: rels})

	tmp := filepath.Join(dir, "tmp")
	os.Mkdir(tmp, 0o755)
	lex, _ := examples.FS.ReadFile("telecom/lexicon.yaml")
	os.WriteFile(filepath.Join(dir, "lexicon.yaml"), lex, 0o644)
	conf := filepath.Join(dir, "vocmine.yaml")
	os.WriteFile(conf, []byte("input:\n  path: big.xlsx\nlexicons: [lexicon.yaml]\noutput:\n  dir: out\n"), 0o644)
	cmd := exec.Command(binary, "run", "--config", conf, "--date", "2026-12-01")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The input is opened once the lexicons and the segmenter are loaded
	// (seconds), when the run logs the partition it writes.
	var stderr strings.Builder
	reading := make(chan bool, 1)
	copied := make(chan bool)
	go func() {
		sc := bufio.NewScanner(pipe)
		for sc.Scan() {
			stderr.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "msg=writing") {
				reading <- true
			}
		}
		close(copied)
	}()
	select {
	case <-reading:
	case <-copied:
	case <-time.After(time.Minute):
	}
	time.Sleep(500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGTERM)
	sent := time.Now()
	done := make(chan error, 1)
	go func() { <-copied; done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("still running 5 s after SIGTERM: killed\n%s", stderr.String())
	}
	t.Logf("exited %s after SIGTERM: %v", time.Since(sent).Round(time.Millisecond), err)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != pipeline.ExitSignal {
		t.Errorf("exit: %v, want %d\n%s", err, pipeline.ExitSignal, stderr.String())
	}
	if !strings.Contains(stderr.String(), "big.xlsx") {
		t.Errorf("the error does not name the workbook it was reading:\n%s", stderr.String())
	}
	left, _ := os.ReadDir(tmp)
	for _, e := range left {
		t.Errorf("temporary file left behind: %s", e.Name())
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "_runs", "run_date=2026-12-01")); err == nil {
		t.Error("an interrupted run published")
	}
}
