package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/pipeline/table"
)

// The text readers against hostile and odd files (issue 15): encoding
// detection, invalid bytes, bare-CR line ends, NUL bytes and BOMs in the
// middle of a file.

var cols = []string{"id", "score", "text"}

// readAll drains a source through EachRow, the run's record loop: records
// as "line:id|score|text", unreadable rows as "line:!reason".
func readAll(t *testing.T, src source.Source) []string {
	t.Helper()
	var out []string
	err := EachRow(src, func(rec source.Record, rerr *source.RecordError) error {
		if rerr != nil {
			out = append(out, strconv.Itoa(rerr.Record.Line)+":!"+rerr.Reason)
		} else {
			out = append(out, strconv.Itoa(rec.Line)+":"+strings.Join(rec.Values, "|"))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var phrases = []string{"信号很好", "资费太贵了", "客服态度不错", "网速太慢", "营业厅排队时间长", "套餐还可以"}

// textCleaner cleans records of cols on a 0-10 scale.
var textCleaner = &Cleaner{Columns: cols, ScaleLow: 0, ScaleHigh: 10, MaxTextBytes: 1 << 20,
	Group: func(int) string { return "passive" }}

// cleaned reads path to its end through the Cleaner: the accepted responses
// and the rejects as "line:reason:column".
func cleaned(t *testing.T, path string, o source.Options) ([]Response, []string) {
	t.Helper()
	if o.Columns == nil {
		o.Columns = cols
	}
	src, err := source.Open(context.Background(), path, o)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var ok []Response
	var bad []string
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return ok, bad
		}
		var re *source.RecordError
		if errors.As(err, &re) {
			bad = append(bad, fmt.Sprintf("%d:%s:", re.Record.Line, re.Reason))
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		resp, rej := textCleaner.Clean(rec)
		if rej != nil {
			bad = append(bad, fmt.Sprintf("%d:%s:%s", rej.Line, rej.Reason, rej.Column))
			continue
		}
		ok = append(ok, resp)
	}
}

// encodingOf is the encoding the source of path chose, and why.
func encodingOf(t *testing.T, path string) (string, string) {
	t.Helper()
	src, err := source.Open(context.Background(), path, source.Options{Encoding: "auto", Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	return src.Encoding()
}

// surveyRows is n rows of Chinese reasons after a header; row bad (1-based,
// 0 for none) gets the invalid byte 0xFF in its text.
func surveyRows(n, bad int) []byte {
	var b bytes.Buffer
	b.WriteString("id,score,text\n")
	for i := 1; i <= n; i++ {
		text := phrases[i%len(phrases)]
		if i == bad {
			text = text[:3] + "\xff" + text[3:]
		}
		fmt.Fprintf(&b, "R%d,%d,%s\n", i, i%11, text)
	}
	return b.Bytes()
}

func gb18030(t testing.TB, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAutoEncodingUTF8WithABadByte: one invalid byte in row 3 of a UTF-8
// file rejects that row, and only it; the file is not read as GB18030.
func TestAutoEncodingUTF8WithABadByte(t *testing.T) {
	for _, name := range []string{"a.csv", "a.tsv"} {
		t.Run(name, func(t *testing.T) {
			data := surveyRows(1000, 3)
			if name == "a.tsv" {
				data = bytes.ReplaceAll(data, []byte(","), []byte("\t"))
			}
			p := writeFile(t, name, data)
			if enc, why := encodingOf(t, p); enc != "utf-8" || !strings.Contains(why, "1 invalid bytes") {
				t.Errorf("encoding %s (%s), want utf-8 naming the invalid byte", enc, why)
			}
			ok, bad := cleaned(t, p, source.Options{Encoding: "auto"})
			if want := []string{"4:invalid_encoding:text"}; !slices.Equal(bad, want) {
				t.Errorf("rejects %q, want %q", bad, want)
			}
			if len(ok) != 999 {
				t.Errorf("%d accepted, want 999", len(ok))
			}
			for _, r := range ok {
				if !slices.Contains(phrases, r.Text) {
					t.Fatalf("line %d: text %q is not the input's (mojibake)", r.Line, r.Text)
				}
			}
		})
	}
	t.Run("jsonl", func(t *testing.T) {
		var b bytes.Buffer
		for i := 1; i <= 1000; i++ {
			text := phrases[i%len(phrases)]
			if i == 3 {
				text = text[:3] + "\xff" + text[3:]
			}
			fmt.Fprintf(&b, `{"id":"R%d","score":%d,"text":"%s"}`+"\n", i, i%11, text)
		}
		ok, bad := cleaned(t, writeFile(t, "a.jsonl", b.Bytes()), source.Options{Encoding: "auto"})
		if want := []string{"3:invalid_encoding:"}; !slices.Equal(bad, want) {
			t.Errorf("rejects %q, want %q", bad, want)
		}
		if len(ok) != 999 {
			t.Errorf("%d accepted, want 999", len(ok))
		}
		for _, r := range ok {
			if !slices.Contains(phrases, r.Text) {
				t.Fatalf("line %d: text %q is not the input's", r.Line, r.Text)
			}
		}
	})
}

// accidentalUTF8 is GB18030 text whose bytes are also valid UTF-8: GB2312
// characters with a lead byte in 0xC2-0xDF and a trail byte in 0xA1-0xBF
// read as two-byte UTF-8 sequences.
func accidentalUTF8(t testing.TB, n int) string {
	var out []rune
	dec := simplifiedchinese.GB18030.NewDecoder()
	for lead := 0xC2; lead <= 0xD7 && len(out) < n; lead++ {
		for trail := 0xA1; trail <= 0xBF && len(out) < n; trail++ {
			s, err := dec.Bytes([]byte{byte(lead), byte(trail)})
			if err != nil {
				t.Fatal(err)
			}
			r, _ := utf8.DecodeRune(s)
			if r != utf8.RuneError {
				out = append(out, r)
			}
		}
	}
	if !utf8.Valid(gb18030(t, string(out))) {
		t.Fatal("the accidental stretch is not valid UTF-8")
	}
	return string(out)
}

// TestAutoEncodingDetection: what "auto" decides on files near the
// boundary, read back to their last row.
func TestAutoEncodingDetection(t *testing.T) {
	type row struct{ id, text string }
	rowsOf := func(n int, text func(i int) string) []row {
		var rs []row
		for i := 1; i <= n; i++ {
			rs = append(rs, row{fmt.Sprintf("R%d", i), text(i)})
		}
		return rs
	}
	csvOf := func(rs []row) string {
		var b strings.Builder
		b.WriteString("id,score,text\n")
		for _, r := range rs {
			fmt.Fprintf(&b, "%s,5,%s\n", r.id, r.text)
		}
		return b.String()
	}
	chinese := func(i int) string { return phrases[i%len(phrases)] }

	// A GB18030 file whose first 50 rows are valid UTF-8 by accident.
	stretch := accidentalUTF8(t, 40)
	mixed := append(rowsOf(50, func(int) string { return stretch }), rowsOf(1000, chinese)...)
	for i := range mixed {
		mixed[i].id = fmt.Sprintf("R%d", i+1)
	}

	// A UTF-8 file whose 64 KiB sample ends inside a three-byte character,
	// and a GB18030 one whose sample ends inside a two-byte character.
	cut := func(enc func(string) []byte, width int) ([]byte, []row) {
		head := []byte("id,score,text\n")
		// The last byte of the sample is the first of 长.
		pad := 65536 - len(head) - len("P,5,\n") - len("Q,5,") - 1
		rs := []row{{"P", strings.Repeat("x", pad)}, {"Q", "长" + strings.Repeat("好", 10)}}
		rs = append(rs, rowsOf(50, chinese)...)
		data := enc(csvOf(rs))
		if c := data[65535]; c < 0x81 || width == 3 && c < 0xC0 {
			t.Fatalf("the sample does not end inside a character: % x", data[65530:65540])
		}
		return data, rs
	}
	utf8Cut, utf8CutRows := cut(func(s string) []byte { return []byte(s) }, 3)
	gbCut, gbCutRows := cut(func(s string) []byte { return gb18030(t, s) }, 2)

	ascii := rowsOf(100, func(i int) string { return "fine" })
	fewWords := func(i int) string { return map[bool]string{true: "好", false: "ok"}[i%400 == 1] }
	tests := []struct {
		name, enc string
		data      []byte
		want      []row
	}{
		{"ascii", "utf-8", []byte(csvOf(ascii)), ascii},
		{"utf-8", "utf-8", []byte(csvOf(rowsOf(1000, chinese))), rowsOf(1000, chinese)},
		{"gb18030", "gb18030", gb18030(t, csvOf(rowsOf(1000, chinese))), rowsOf(1000, chinese)},
		{"gb18030 with a few Chinese words in ascii", "gb18030", gb18030(t, csvOf(rowsOf(1000, fewWords))), rowsOf(1000, fewWords)},
		{"gb18030 that is valid utf-8 for its first 50 rows", "gb18030", gb18030(t, csvOf(mixed)), mixed},
		{"utf-8 sample cut inside a character", "utf-8", utf8Cut, utf8CutRows},
		{"gb18030 sample cut inside a character", "gb18030", gbCut, gbCutRows},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, "a.csv", tt.data)
			if enc, why := encodingOf(t, p); enc != tt.enc || !strings.HasPrefix(why, "auto: ") {
				t.Errorf("encoding %s (%s), want %s", enc, why, tt.enc)
			} else {
				t.Logf("%s: %s", enc, why)
			}
			ok, bad := cleaned(t, p, source.Options{Encoding: "auto"})
			if len(bad) > 0 {
				t.Errorf("rejects %q, want none", bad)
			}
			var got []row
			for _, r := range ok {
				got = append(got, row{r.ID, r.Text})
			}
			if !slices.Equal(got, tt.want) {
				for i := range min(len(got), len(tt.want)) {
					if got[i] != tt.want[i] {
						t.Fatalf("row %d = %q, want %q (%d rows, want %d)", i+1, got[i], tt.want[i], len(got), len(tt.want))
					}
				}
				t.Fatalf("%d rows, want %d", len(got), len(tt.want))
			}
		})
	}
}

// TestNULBytes: a NUL byte in an id, a score or a text rejects the row
// (nul_byte), naming its line and column: "R1\x00" is not a respondent.
func TestNULBytes(t *testing.T) {
	data := "id,score,text\nR1\x00,9,好\nR2,9,好\x00坏\nR3,9\x00,好\nR4,9,好\n"
	for _, name := range []string{"a.csv", "a.jsonl"} {
		t.Run(name, func(t *testing.T) {
			d := data
			want := []string{"2:nul_byte:id", "3:nul_byte:text", "4:nul_byte:score"}
			if name == "a.jsonl" {
				d = `{"id":"R1\u0000","score":9,"text":"好"}` + "\n" + `{"id":"R2","score":9,"text":"好\u0000坏"}` + "\n" +
					`{"id":"R3","score":"9\u0000","text":"好"}` + "\n" + `{"id":"R4","score":9,"text":"好"}` + "\n"
				want = []string{"1:nul_byte:id", "2:nul_byte:text", "3:nul_byte:score"}
			}
			ok, bad := cleaned(t, writeFile(t, name, []byte(d)), source.Options{Encoding: "auto"})
			if !slices.Equal(bad, want) {
				t.Errorf("rejects %q, want %q", bad, want)
			}
			if len(ok) != 1 || ok[0].ID != "R4" {
				t.Errorf("accepted %+v, want R4 alone", ok)
			}
		})
	}
}

// TestBOMInTheMiddle: concatenated exports leave a BOM at the start of a
// line; "\uFEFFR1" is R1, so the second R1 is a duplicate, not a new
// respondent.
func TestBOMInTheMiddle(t *testing.T) {
	tests := []struct{ name, file, data string }{
		{"csv", "a.csv", "\uFEFFid,score,text\nR1,9,好\n\uFEFFR1,8,差\n\uFEFFR2,7,\uFEFF还行\n"},
		{"jsonl", "a.jsonl", "\uFEFF" + `{"id":"R1","score":9,"text":"好"}` + "\n\uFEFF" + `{"id":"R1","score":8,"text":"差"}` + "\n" + `{"id":"\uFEFFR2","score":7,"text":"还行"}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, bad := cleaned(t, writeFile(t, tt.file, []byte(tt.data)), source.Options{Encoding: "auto"})
			if len(bad) > 0 {
				t.Errorf("rejects %q, want none", bad)
			}
			var ids, texts []string
			for _, r := range ok {
				ids, texts = append(ids, r.ID), append(texts, r.Text)
			}
			if want := []string{"R1", "R1", "R2"}; !slices.Equal(ids, want) {
				t.Errorf("ids %q, want %q (the second R1 a duplicate of the first)", ids, want)
			}
			if len(texts) == 3 && texts[2] != "还行" {
				t.Errorf("text %q keeps its BOM", texts[2])
			}
		})
	}
}

// TestRejectsOfInvalidBytes: rejects.parquet stays readable by every
// Parquet reader (every string column valid UTF-8, DuckDB refuses anything
// else), with the invalid bytes written as \xNN, and rejects.csv keeps the
// bytes as read.
func TestRejectsOfInvalidBytes(t *testing.T) {
	dir := t.TempDir()
	s, err := newRejectSink(dir, "zstd")
	if err != nil {
		t.Fatal(err)
	}
	s.version = "v1"
	in := []Reject{
		{File: "a\xffb.csv", Line: 4, Offset: 40, Column: "text", Reason: ReasonEncoding, Message: "id=R\xfe3: reason is not valid text", Raw: "R3,9,好\xff坏"},
		{File: "a.csv", Line: 5, Offset: 50, Column: "id", Reason: ReasonNUL, Message: "id=R4\x00: NUL", Raw: "R4\x00,9,好"},
		{File: "a.csv", Line: 6, Offset: 60, Column: "id", Reason: ReasonMissingID, Message: "empty id", Raw: `,9,\xff is text`},
	}
	orig := slices.Clone(in)
	if err := s.Write(in); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.ReadFile[Reject](table.Path(dir, "rejects.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(orig) {
		t.Fatalf("%d rows, want %d", len(rows), len(orig))
	}
	for _, r := range rows {
		for name, v := range map[string]string{"file": r.File, "column": r.Column, "reason": r.Reason, "message": r.Message, "raw": r.Raw, "lexicon_version": r.LexiconVersion} {
			if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
				t.Errorf("line %d: rejects.parquet %s %q is not valid UTF-8 text", r.Line, name, v)
			}
		}
	}
	if want := `R3,9,好\xff坏`; rows[0].Raw != want {
		t.Errorf("raw %q, want %q", rows[0].Raw, want)
	}
	if want := `a\xffb.csv`; rows[0].File != want {
		t.Errorf("file %q, want %q", rows[0].File, want)
	}
	if want := `R4\x00,9,好`; rows[1].Raw != want {
		t.Errorf("raw %q, want %q", rows[1].Raw, want)
	}
	if rows[2].Raw != orig[2].Raw {
		t.Errorf("valid text %q changed to %q", orig[2].Raw, rows[2].Raw)
	}

	f, err := os.Open(filepath.Join(dir, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range orig {
		got := recs[i+1]
		if got[0] != r.File || got[5] != r.Message || got[6] != r.Raw {
			t.Errorf("rejects.csv row %d = %q, want the bytes as read %q %q %q", i+1, got, r.File, r.Message, r.Raw)
		}
	}
}

// fuzzRead reads data as the named file with encoding auto and checks what
// every reader promises: it ends, never panics, yields one value per column,
// holds at most a bounded record, and no record the Cleaner accepts holds
// invalid UTF-8 or a NUL byte.
func fuzzRead(t *testing.T, name string, data []byte) {
	const maxRecord = 4096
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := source.Open(context.Background(), p, source.Options{Encoding: "auto", Columns: cols, MaxRecordBytes: maxRecord})
	if err != nil {
		return
	}
	defer src.Close()
	// Each Next consumes at least one byte of the decoded text, which is at
	// most 3 bytes a byte of input (GB18030 to UTF-8, or U+FFFD for a bad one).
	for range 3*len(data) + 2 {
		rec, err := src.Next()
		var re *source.RecordError
		switch {
		case errors.Is(err, io.EOF):
			return
		case errors.As(err, &re):
			if re.Reason == "" {
				t.Fatalf("record error without a reason: %v", re)
			}
			continue
		case err != nil:
			return
		}
		if len(rec.Values) != len(cols) {
			t.Fatalf("record %+v: %d values, want %d", rec, len(rec.Values), len(cols))
		}
		n := 0
		for _, f := range rec.Fields {
			n += len(f)
		}
		if n > maxRecord+64<<10 {
			t.Fatalf("a record of %d bytes, over the bound %d", n, maxRecord)
		}
		resp, rej := textCleaner.Clean(rec)
		if rej != nil {
			continue
		}
		for _, v := range append([]string{resp.ID, resp.Text}, resp.Segments...) {
			if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
				t.Fatalf("accepted %q: not valid UTF-8 text", v)
			}
		}
		for i, v := range rec.Values {
			if !utf8.ValidString(v) {
				t.Fatalf("accepted a record whose value %d %q is not valid UTF-8", i, v)
			}
		}
	}
	t.Fatal("the source does not end")
}

// FuzzCSV and FuzzJSONL: any bytes as a text file (encoding auto).
//
//	go test ./pipeline -run '^$' -fuzz '^FuzzCSV$' -fuzztime 60s
//	go test ./pipeline -run '^$' -fuzz '^FuzzJSONL$' -fuzztime 60s
func FuzzCSV(f *testing.F) {
	f.Add([]byte("id,score,text\nR1,9,好\n"))
	f.Add([]byte("\uFEFFid,score,text\r\nR1,9,\"a\r\nb\"\r\n\uFEFFR1,8,x\r\n"))
	f.Add([]byte("id,score,text\rR1,9,\"a\rb\"\rR2,3,c"))
	f.Add([]byte("id,score,text\nR1\x00,9,\xff\xfe\n"))
	f.Add([]byte("id,score,text\nR1,\"9\nR2"))
	f.Add(gb18030(f, "id,score,text\nR1,9,信号很好\n"))
	f.Add([]byte("\xff\xfei\x00d\x00,\x00s\x00c\x00o\x00r\x00e\x00,\x00t\x00e\x00x\x00t\x00\n\x00"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.csv", data) })
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"id":"R1","score":9,"text":"好"}` + "\n"))
	f.Add([]byte("\uFEFF" + `{"id":"R1","score":9,"text":"好\xff"}` + "\r" + `{"id":"R2\u0000"}`))
	f.Add(gb18030(f, `{"id":"R1","score":9,"text":"信号很好"}`+"\n"))
	f.Add([]byte(`{"id":[[[[` + "\n" + `{"id":1e999,"score":{"a":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, "f.jsonl", data) })
}

// TestProgressCountsFileBytes: the progress of a GB18030 file counts its
// bytes as read, not the UTF-8 they decode to (half as many again for
// Chinese text), so that it reaches the file's size at its end and not two
// thirds of the way in (issue 18).
func TestProgressCountsFileBytes(t *testing.T) {
	const rows = 2 * batchRows // a progress report after the first batch, mid-file
	text := strings.Repeat("信号很好但是资费太贵了", 6)
	var data []byte
	ends := []int{} // ends[k]: the file's bytes up to the end of row k (0 the header)
	for i := range rows + 1 {
		line := "id,score,text\n"
		if i > 0 {
			line = fmt.Sprintf("R%d,%d,%s\n", i, i%11, text)
		}
		data = append(data, gb18030(t, line)...)
		ends = append(ends, len(data))
	}
	cfg, opt, _ := pubSetup(t, map[string]string{"in.csv": string(data)}, "in.csv", "")
	var reports []Progress
	opt.Progress = func(p Progress) { reports = append(reports, p) }
	if _, err := Run(context.Background(), cfg, opt); err != nil {
		t.Fatal(err)
	}
	// What the readers may hold read but not yet returned: 64 KiB of the
	// file's bytes, 64 KiB decoded, and the decoder's and encoding/csv's
	// 4 KiB buffers.
	const ahead = 2*64<<10 + 8<<10
	mid := 0
	for _, p := range reports {
		if p.TotalBytes != int64(len(data)) {
			t.Fatalf("total %d bytes, want %d", p.TotalBytes, len(data))
		}
		if p.Rows == rows {
			continue
		}
		mid++
		if lo, hi := int64(ends[p.Rows]), int64(ends[p.Rows]+ahead); p.Bytes < lo || p.Bytes > hi || p.Bytes > p.TotalBytes {
			t.Errorf("after %d of %d rows: %d of %d bytes, want %d to %d", p.Rows, rows, p.Bytes, p.TotalBytes, lo, min(hi, p.TotalBytes))
		}
	}
	if last := reports[len(reports)-1]; mid == 0 || last.Rows != rows || last.Bytes != last.TotalBytes {
		t.Errorf("%d reports before the end, the last %+v: want one or more, then %d rows and every byte", mid, last, rows)
	}
}
