package source

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// drain reads a source to its end or its first fatal error.
func drain(src Source) error {
	for {
		_, err := src.Next()
		var re *RecordError
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &re):
			continue
		case err != nil:
			return err
		}
	}
}

// TestHostileInputsStayBounded: a huge field, a huge JSON line and a corrupt
// Parquet file each end in a clear error, not in memory use without bound.
func TestHostileInputsStayBounded(t *testing.T) {
	huge := strings.Repeat("长", 2<<20) // 6 MB in one field
	tests := []struct {
		name, file string
		data       []byte
		want       error
	}{
		{"csv field over max_record_bytes", "a.csv", []byte("id,score,text\nR1,9,\"" + huge + "\"\nR2,9,ok\n"), ErrRecordTooLong},
		{"unquoted csv line over max_record_bytes", "a.csv", []byte("id,score,text\nR1,9," + huge + "\n"), ErrRecordTooLong},
		{"jsonl line over max_record_bytes", "a.jsonl", []byte(`{"id":"R1","score":9,"text":"` + huge + "\"}\n"), ErrRecordTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src, err := Open(context.Background(), writeFile(t, tt.file, tt.data), Options{Columns: cols, MaxRecordBytes: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if err := drain(src); !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.file) {
				t.Errorf("err = %v, want %v naming the file", err, tt.want)
			}
		})
	}
}

// TestCorruptParquet: a damaged Parquet file fails with ErrCorrupt naming
// the file, never reads as rows: damaged page headers, and damaged values
// under a page CRC (which arrow-go does not check: it read "差" garbled as
// a good row).
func TestCorruptParquet(t *testing.T) {
	type row struct {
		ID    string `parquet:"id"`
		Score int64  `parquet:"score"`
		Text  string `parquet:"text"`
	}
	var buf bytes.Buffer
	if err := parquet.Write(&buf, []row{{"R1", 9, "好"}, {"R2", 3, "差"}}); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	footer := len(good) - 8 - int(binary.LittleEndian.Uint32(good[len(good)-8:]))
	// A footer length that points far outside the file, garbage over the
	// column data, one value's byte changed, a truncated file.
	absurd := append([]byte{}, good...)
	copy(absurd[len(absurd)-8:], []byte{0xff, 0xff, 0xff, 0x7f, 'P', 'A', 'R', '1'})
	garbled := append([]byte{}, good...)
	for i := 4; i < footer; i++ {
		garbled[i] ^= 0x5a
	}
	value := append([]byte{}, good...)
	text := splitParquet(t, good).chunk(t, 0, "text") // plain, uncompressed: it ends in 差's bytes
	if last := text.DataPageOffset + text.TotalCompressedSize - 1; value[last] != "差"[2] {
		t.Fatalf("the text column's chunk does not end in 差")
	} else {
		value[last] ^= 0x01 // 差 reads as 巯
	}
	tests := map[string][]byte{"absurd footer": absurd, "garbled pages": garbled, "a garbled value": value,
		"truncated": good[:len(good)/2], "not parquet": []byte("id,score\n")}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			p := writeFile(t, "in.parquet", data)
			src, err := Open(context.Background(), p, Options{Columns: cols})
			if err == nil {
				err = drain(src)
				src.Close()
			}
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), filepath.Base(p)) {
				t.Errorf("err = %v, want ErrCorrupt naming the file", err)
			}
		})
	}
}

// parquetFixture is a valid Parquet file of n rows with id, score and text,
// the score a double and the text dictionary-encoded.
func parquetFixture(tb testing.TB, n int) []byte {
	type row struct {
		ID    string  `parquet:"id"`
		Score float64 `parquet:"score"`
		Text  string  `parquet:"text,dict"`
	}
	rows := make([]row, n)
	for i := range rows {
		rows[i] = row{ID: "R" + strings.Repeat("x", i%7), Score: float64(i % 11), Text: []string{"好", "差", "信号"}[i%3]}
	}
	var buf bytes.Buffer
	if err := parquet.Write(&buf, rows); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// readParquetBytes reads data as a Parquet input to its end or first error.
func readParquetBytes(t *testing.T, dir string, data []byte) {
	p := filepath.Join(dir, "c.parquet")
	os.WriteFile(p, data, 0o644)
	src, err := Open(context.Background(), p, Options{Columns: cols})
	if err != nil {
		return
	}
	defer src.Close()
	drain(src)
}

// TestParquetCorruptionsNeverPanic flips random bytes of a valid Parquet
// file many times (deterministic seeds): each read ends, in rows or an error.
func TestParquetCorruptionsNeverPanic(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 1,500 corrupted files: slow; run without -short")
	}
	good := parquetFixture(t, 300)
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 1500 {
		data := append([]byte{}, good...)
		for range 1 + r.IntN(8) {
			data[r.IntN(len(data))] = byte(r.IntN(256))
		}
		func() {
			defer func() {
				if v := recover(); v != nil {
					t.Fatalf("corruption %d panics: %v", i, v)
				}
			}()
			readParquetBytes(t, dir, data)
		}()
	}
}
