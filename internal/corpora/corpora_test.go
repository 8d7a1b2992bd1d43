package corpora

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	csvFile := "label,review\n1,好吃\n0,\"太慢,凉了\"\n1,\ufeff不错\n0,差\n1,第五行\n0,第六行\n"
	if err := os.WriteFile(filepath.Join(dir, "a.csv"), []byte(csvFile), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(dir, "b.zip"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("b.csv")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("cat,label,review\n书籍,1,好书\n水果,0,烂了\n")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.WriteFile(filepath.Join(dir, "bad.csv"), []byte("label,review\n2,好\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name      string
		file      string
		want      []string // "row:label:text"
		heldOut   []int
		wantError string
	}{
		{name: "csv, quoted commas and a BOM", file: "a.csv", want: []string{"1:1:好吃", "2:0:太慢,凉了", "3:1:不错", "4:0:差", "5:1:第五行", "6:0:第六行"}, heldOut: []int{5}},
		{name: "zip with a category column", file: "b.zip", want: []string{"1:1:好书", "2:0:烂了"}},
		{name: "bad label", file: "bad.csv", wantError: `label "2"`},
		{name: "missing file", file: "none.csv", wantError: "none.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, err := Read(dir, Corpus{Name: tt.name, File: tt.file})
			if tt.wantError != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantError) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				l := "0"
				if r.Positive {
					l = "1"
				}
				got = append(got, strings.Join([]string{strconv.Itoa(r.Row), l, r.Text}, ":"))
			}
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			train, held := Split(rs)
			var rows []int
			for _, r := range held {
				rows = append(rows, r.Row)
			}
			if len(rows) != len(tt.heldOut) || len(train)+len(held) != len(rs) {
				t.Errorf("held-out rows %v, want %v (train %d)", rows, tt.heldOut, len(train))
			}
			for i := range rows {
				if rows[i] != tt.heldOut[i] {
					t.Errorf("held-out rows %v, want %v", rows, tt.heldOut)
				}
			}
		})
	}
}
