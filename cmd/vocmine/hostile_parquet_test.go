package main

import (
	"bytes"
	bin "encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// hostileParquet is a valid Parquet file of id, score and text whose footer
// change edits.
func hostileParquet(t *testing.T, change func(md *format.FileMetaData)) []byte {
	t.Helper()
	type row struct {
		ID    string `parquet:"id"`
		Score int64  `parquet:"score"`
		Text  string `parquet:"text"`
	}
	var buf bytes.Buffer
	if err := parquet.Write(&buf, []row{{"R1", 9, "信号很好"}, {"R2", 3, "资费太贵"}}); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	at := len(file) - 8 - int(bin.LittleEndian.Uint32(file[len(file)-8:]))
	var md format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), file[at:len(file)-8], &md); err != nil {
		t.Fatal(err)
	}
	change(&md)
	footer, err := thrift.Marshal(new(thrift.CompactProtocol), &md)
	if err != nil {
		t.Fatal(err)
	}
	out := append(append([]byte{}, file[:at]...), footer...)
	out = bin.LittleEndian.AppendUint32(out, uint32(len(footer)))
	return append(out, "PAR1"...)
}

// TestHostileParquet: damaged Parquet inputs exit 65 with a message naming
// the file and what is wrong, within the harness's memory bound, leaving no
// staging folder. Before, a column chunk claiming 2^35 bytes made arrow-go
// allocate 32 GiB: "fatal error: runtime: out of memory", exit 2, a stack
// dump and the run's staging folder left behind.
func TestHostileParquet(t *testing.T) {
	valid := hostileParquet(t, func(*format.FileMetaData) {})
	longFooter := append([]byte{}, valid...)
	bin.LittleEndian.PutUint32(longFooter[len(longFooter)-8:], uint32(len(valid))) // more than the file
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"column chunk of 2^35 bytes", hostileParquet(t, func(md *format.FileMetaData) {
			md.RowGroups[0].Columns[2].MetaData.TotalCompressedSize = 1 << 35
		}), "column text claims 34359738368 bytes"},
		{"footer length past the file", longFooter, "the footer length field claims"},
		{"truncated", valid[:len(valid)*2/3], "not a Parquet file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := filepath.Join(t.TempDir(), "survey.parquet")
			if err := os.WriteFile(in, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			a := hostileRun(t, in, "", time.Minute)
			if a.code != 65 || !strings.Contains(a.stderr, "survey.parquet") || !strings.Contains(a.stderr, "corrupt file") || !strings.Contains(a.stderr, tt.want) {
				t.Errorf("exit %d, want 65 naming survey.parquet and %q:\n%s", a.code, tt.want, a.stderr)
			}
			left, _ := os.ReadDir(a.out)
			for _, e := range left {
				if strings.HasPrefix(e.Name(), ".staging-") {
					t.Errorf("staging folder left in the output folder: %s", e.Name())
				}
			}
		})
	}
}
