package source

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

var cols = []string{"id", "score", "text"}

// readAll drains a source: records as "line:id|score|text", errors as "line:reason".
func readAll(t *testing.T, src Source) []string {
	t.Helper()
	var out []string
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		var re *RecordError
		if errors.As(err, &re) {
			out = append(out, strconv.Itoa(re.Record.Line)+":!"+re.Reason)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strconv.Itoa(rec.Line)+":"+strings.Join(rec.Values, "|"))
	}
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCSVSources(t *testing.T) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("id,score,text\nR1,9,信号很好\nR2,3,网速太慢\n")
	u16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("id\tscore\ttext\nR1\t9\t客服好\n")
	tests := []struct {
		name, file, data, encoding string
		want                       []string
	}{
		{"plain", "a.csv", "id,score,text\nR1,9,信号好\nR2,0,差\n", "auto", []string{"2:R1|9|信号好", "3:R2|0|差"}},
		{"bom crlf and reordered columns", "a.csv", "\uFEFFtext,extra,id,score\r\n信号好,x,R1,9\r\n", "auto", []string{"2:R1|9|信号好"}},
		{"multi-line quoted text keeps its start line", "a.csv", "id,score,text\nR1,9,\"第一行\n第二行\"\nR2,5,好\n", "auto", []string{"2:R1|9|第一行\n第二行", "4:R2|5|好"}},
		{"wrong field count is a bad row, not a bad file", "a.csv", "id,score,text\nR1,9\nR2,8,好\n", "auto", []string{"2:!field_count", "3:R2|8|好"}},
		{"broken quoting", "a.csv", "id,score,text\nR1,9,\"open\nR2,8,x\n", "auto", []string{"2:!broken_quoting"}},
		{"gb18030 detected", "a.csv", gb, "auto", []string{"2:R1|9|信号很好", "3:R2|3|网速太慢"}},
		{"gb18030 configured", "a.csv", gb, "gb18030", []string{"2:R1|9|信号很好", "3:R2|3|网速太慢"}},
		{"utf-16 tsv from Excel", "a.txt", u16, "auto", []string{"2:R1|9|客服好"}},
		{"tsv", "a.tsv", "id\tscore\ttext\nR1\t9\t说\"好\"\n", "auto", []string{"2:R1|9|说\"好\""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := Open(context.Background(), writeFile(t, tt.file, []byte(tt.data)), Options{Encoding: tt.encoding, Columns: cols})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if got := readAll(t, src); !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestMissingColumn(t *testing.T) {
	_, err := Open(context.Background(), writeFile(t, "a.csv", []byte("id,q1,text\n")), Options{Columns: cols})
	if !errors.Is(err, ErrMissingColumn) || !strings.Contains(err.Error(), `"score"`) || !strings.Contains(err.Error(), "id, q1, text") {
		t.Errorf("err = %v", err)
	}
	if _, err := Open(context.Background(), writeFile(t, "a.doc", []byte("x")), Options{Columns: cols}); err == nil || !strings.Contains(err.Error(), "unknown input format") {
		t.Errorf("unknown format: err = %v", err)
	}
}

func TestJSONL(t *testing.T) {
	data := `{"id":"R1","score":9,"text":"信号好"}

{"id":"R2","score":7.0,"text":null,"extra":[1]}
not json
["a"]
{"id":"R3","text":"无分数"}
`
	src, err := Open(context.Background(), writeFile(t, "a.jsonl", []byte(data)), Options{Encoding: "auto", Columns: cols})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	want := []string{"1:R1|9|信号好", "3:R2|7.0|", "4:!bad_json", "5:!bad_json", "6:R3||无分数"}
	if got := readAll(t, src); !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestXLSX(t *testing.T) {
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "问卷")
	f.SetSheetRow("问卷", "A1", &[]any{"序号", "id", "score", "text"})
	f.SetSheetRow("问卷", "A2", &[]any{1, "R1", 10, "服务好"})
	f.SetSheetRow("问卷", "A3", &[]any{2, "R2", 4, "信号差"})
	p := filepath.Join(t.TempDir(), "survey.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	for _, sheet := range []string{"", "问卷"} {
		src, err := Open(context.Background(), p, Options{Encoding: "auto", Sheet: sheet, Columns: cols})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2:R1|10|服务好", "3:R2|4|信号差"}
		if got := readAll(t, src); !slices.Equal(got, want) {
			t.Errorf("sheet %q: got %q, want %q", sheet, got, want)
		}
		src.Close()
	}
	if _, err := Open(context.Background(), p, Options{Encoding: "auto", Sheet: "Sheet9", Columns: cols}); err == nil || !strings.Contains(err.Error(), "问卷") {
		t.Errorf("missing sheet: err = %v, want the sheet list", err)
	}
}

func TestParquetInput(t *testing.T) {
	type row struct {
		ID    string  `parquet:"id"`
		Score float64 `parquet:"score"`
		Text  string  `parquet:"text,dict"`
		N     int64   `parquet:"n"`
	}
	p := filepath.Join(t.TempDir(), "in.parquet")
	if err := parquet.WriteFile(p, []row{{"R1", 9, "好", 1}, {"R2", 6, "差", 2}}); err != nil {
		t.Fatal(err)
	}
	src, err := Open(context.Background(), p, Options{Encoding: "auto", Sheet: "", Columns: []string{"id", "score", "text", "n"}})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	want := []string{"1:R1|9|好|1", "2:R2|6|差|2"}
	if got := readAll(t, src); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestForcedUTF8OnGB18030Header: a GB18030 export read with input.encoding:
// utf-8 has a header of invalid bytes, so its Chinese column names are not
// found: the error says the file does not look like UTF-8 and how to read
// it, instead of only listing mojibake (issue 18).
func TestForcedUTF8OnGB18030Header(t *testing.T) {
	zh := []string{"编号", "评分", "原因"}
	gbs, _ := simplifiedchinese.GB18030.NewEncoder().String("编号,评分,原因\nR1,9,信号很好\n")
	gb := []byte(gbs)
	tests := []struct {
		name, data, encoding string
		columns              []string
		hint                 bool // the error suggests input.encoding: gb18030
	}{
		{"gb18030 forced to utf-8", string(gb), "utf-8", zh, true},
		{"utf-8 with a column really missing", "编号,评分,理由\nR1,9,信号很好\n", "utf-8", zh, false},
		{"gb18030 read as gb18030, a column really missing", string(gb), "gb18030", []string{"编号", "评分", "理由"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(context.Background(), writeFile(t, "a.csv", []byte(tt.data)), Options{Encoding: tt.encoding, Columns: tt.columns})
			if !errors.Is(err, ErrMissingColumn) {
				t.Fatalf("got %v, want %v", err, ErrMissingColumn)
			}
			msg := err.Error()
			if got := strings.Contains(msg, "does not look like UTF-8") && strings.Contains(msg, "input.encoding: gb18030"); got != tt.hint {
				t.Errorf("hint %v, want %v: %s", got, tt.hint, msg)
			}
		})
	}
	// The hint's advice reads the file.
	src, err := Open(context.Background(), writeFile(t, "a.csv", gb), Options{Encoding: "gb18030", Columns: zh})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if got := readAll(t, src); !slices.Equal(got, []string{"2:R1|9|信号很好"}) {
		t.Errorf("read as gb18030: %q", got)
	}
}

// TestBareCRLineEnds: a file whose lines end in a lone CR (classic Mac,
// some Excel exports) is read row by row, not as one header row.
func TestBareCRLineEnds(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             []string
	}{
		{"csv", "a.csv", "id,score,text\rR1,9,信号好\rR2,3,差\r", []string{"2:R1|9|信号好", "3:R2|3|差"}},
		{"csv with a quoted line break", "a.csv", "id,score,text\rR1,9,\"第一行\r第二行\"\rR2,3,差", []string{"2:R1|9|第一行\n第二行", "4:R2|3|差"}},
		{"csv with a BOM", "a.csv", "\uFEFFid,score,text\rR1,9,好\r", []string{"2:R1|9|好"}},
		{"tsv", "a.tsv", "id\tscore\ttext\rR1\t9\t好\r", []string{"2:R1|9|好"}},
		{"jsonl", "a.jsonl", `{"id":"R1","score":9,"text":"好"}` + "\r" + `{"id":"R2","score":3,"text":"差"}` + "\r", []string{"1:R1|9|好", "2:R2|3|差"}},
		{"crlf is unchanged", "a.csv", "id,score,text\r\nR1,9,\"a\r\nb\"\r\nR2,3,c\r\n", []string{"2:R1|9|a\nb", "4:R2|3|c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := Open(context.Background(), writeFile(t, tt.file, []byte(tt.data)), Options{Encoding: "auto", Columns: cols})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if got := readAll(t, src); !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}
