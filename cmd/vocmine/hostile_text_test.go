package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/table"
)

// The text readers' attacks (issue 15): a UTF-8 export with one invalid
// byte, and a file with lone-CR line ends, NUL bytes and a BOM mid-file.

var hostilePhrases = []string{"信号很好", "资费太贵了", "客服态度不错", "网速太慢", "营业厅排队时间长"}

// hostileResponse is the part of responses.parquet these attacks check.
type hostileResponse struct {
	ID   string `parquet:"response_id"`
	Text string `parquet:"text"`
}

// publishedText reads a run's responses and rejects, failing the test when
// a string column of rejects.parquet is not valid UTF-8 (which DuckDB
// refuses: "Invalid string encoding found in Parquet file").
func publishedText(t *testing.T, out string) ([]hostileResponse, []pipeline.Reject) {
	t.Helper()
	part := filepath.Join(out, "_runs", "run_date=2026-12-01")
	resp, err := parquet.ReadFile[hostileResponse](table.Path(part, "responses.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	rej, err := parquet.ReadFile[pipeline.Reject](table.Path(part, "rejects.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rej {
		for name, v := range map[string]string{"file": r.File, "column": r.Column, "reason": r.Reason, "message": r.Message, "raw": r.Raw, "lexicon_version": r.LexiconVersion} {
			if !utf8.ValidString(v) {
				t.Errorf("rejects.parquet line %d: %s %q is not valid UTF-8", r.Line, name, v)
			}
		}
	}
	return resp, rej
}

// TestHostileTextBadByte: a 1,000-row UTF-8 export whose third row holds
// the byte 0xFF, under encoding auto, publishes 999 responses in their own
// text (not GB18030 mojibake) and one invalid_encoding reject, readable in
// rejects.parquet and byte-exact in rejects.csv.
func TestHostileTextBadByte(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id,score,text\n")
	for i := 1; i <= 1000; i++ {
		text := hostilePhrases[i%len(hostilePhrases)]
		if i == 3 {
			text = "客服\xff态度不错"
		}
		fmt.Fprintf(&b, "R%d,%d,%s\n", i, i%11, text)
	}
	in := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	a := hostileRun(t, in, "input:\n  path: "+in+"\n  encoding: auto\n  max_reject_rate: 0.01\n", time.Minute)
	if a.code != 0 {
		t.Fatalf("exit %d, want 0 (one reject is within the budget)\n%s", a.code, a.stderr)
	}
	resp, rej := publishedText(t, a.out)
	if len(resp) != 999 {
		t.Errorf("%d responses, want 999", len(resp))
	}
	for _, r := range resp {
		if !slices.Contains(hostilePhrases, r.Text) {
			t.Fatalf("%s: text %q is not the input's (mojibake)", r.ID, r.Text)
		}
	}
	if len(rej) != 1 || rej[0].Reason != "invalid_encoding" || rej[0].Line != 4 || rej[0].Column != "text" {
		t.Fatalf("rejects %+v, want one invalid_encoding of text on line 4", rej)
	}
	if want := `R3,3,客服\xff态度不错`; rej[0].Raw != want {
		t.Errorf("rejects.parquet raw %q, want %q", rej[0].Raw, want)
	}
	f, err := os.Open(filepath.Join(a.out, "_runs", "run_date=2026-12-01", "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1][6] != "R3,3,客服\xff态度不错" {
		t.Errorf("rejects.csv %q, want the raw record byte for byte", recs)
	}
}

// TestHostileTextOddLines: lone-CR line ends, a NUL byte in an id and a
// BOM at the start of a line (two exports joined with cat) publish what
// the rows say: the NUL row rejected (nul_byte), the BOM's R1 a duplicate.
func TestHostileTextOddLines(t *testing.T) {
	data := "\uFEFFid,score,text\rR1,9,信号很好\rR2\x00,3,资费太贵了\r\uFEFFR1,8,网速太慢\rR3,7,\"客服\r态度不错\"\r"
	in := filepath.Join(t.TempDir(), "mac.csv")
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	a := hostileRun(t, in, "input:\n  path: "+in+"\n  max_rejects: 5\n", time.Minute)
	if a.code != 0 {
		t.Fatalf("exit %d, want 0\n%s", a.code, a.stderr)
	}
	resp, rej := publishedText(t, a.out)
	var ids []string
	for _, r := range resp {
		ids = append(ids, r.ID+":"+r.Text)
	}
	if want := []string{"R1:信号很好", "R3:客服\n态度不错"}; !slices.Equal(ids, want) {
		t.Errorf("responses %q, want %q", ids, want)
	}
	var got []string
	for _, r := range rej {
		got = append(got, fmt.Sprintf("%d:%s:%s", r.Line, r.Reason, r.Column))
		if strings.Contains(r.Raw, "\x00") {
			t.Errorf("rejects.parquet raw %q holds a NUL", r.Raw)
		}
	}
	if want := []string{"3:nul_byte:id", "4:duplicate:id"}; !slices.Equal(got, want) {
		t.Errorf("rejects %q, want %q", got, want)
	}
}
