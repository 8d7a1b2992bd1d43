package source

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// TestHeader: the column names of each format, as Open matches them.
func TestHeader(t *testing.T) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String("编号, 推荐意愿 ,原因\n1,9,信号好\n")
	xlsx := filepath.Join(t.TempDir(), "a.xlsx")
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"\uFEFF序号", "评分", "理由"})
	f.SetSheetRow("Sheet1", "A2", &[]any{1, 9, "好"})
	if err := f.SaveAs(xlsx); err != nil {
		t.Fatal(err)
	}
	pq := filepath.Join(t.TempDir(), "a.parquet")
	type row struct {
		ID    string `parquet:"id"`
		Score int64  `parquet:"q1"`
		Text  string `parquet:"reason"`
	}
	if err := parquet.WriteFile(pq, []row{{"R1", 9, "好"}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		want       []string
	}{
		{"gb18030 csv", writeFile(t, "a.csv", []byte(gb)), []string{"编号", "推荐意愿", "原因"}},
		{"utf-8 csv with a BOM", writeFile(t, "b.csv", []byte("\uFEFFid,score,\"text, long\"\nR1,9,好\n")), []string{"id", "score", "text, long"}},
		{"tsv", writeFile(t, "a.tsv", []byte("id\tq1\t说\"为什么\"\n")), []string{"id", "q1", "说\"为什么\""}},
		{"xlsx", xlsx, []string{"序号", "评分", "理由"}},
		{"parquet", pq, []string{"id", "q1", "reason"}},
		{"jsonl has none", writeFile(t, "a.jsonl", []byte(`{"id":"R1"}`+"\n")), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Header(context.Background(), tt.path, Options{Encoding: "auto", Columns: []string{"ignored"}})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := Header(context.Background(), writeFile(t, "e.csv", nil), Options{}); err == nil {
		t.Error("an empty file: no error")
	}
}
