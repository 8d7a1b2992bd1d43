package source

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	arrowpq "github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/parquet-go/parquet-go"
	pqzstd "github.com/parquet-go/parquet-go/compress/zstd"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// pqParts is a Parquet file taken apart: its column data (the bytes before
// the footer) and its decoded footer, to be changed and put back together.
type pqParts struct {
	data []byte
	md   format.FileMetaData
}

func splitParquet(tb testing.TB, file []byte) *pqParts {
	tb.Helper()
	n := int(binary.LittleEndian.Uint32(file[len(file)-8:]))
	at := len(file) - 8 - n
	p := &pqParts{data: append([]byte{}, file[:at]...)}
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), file[at:len(file)-8], &p.md); err != nil {
		tb.Fatal(err)
	}
	return p
}

// bytes is the file with the (changed) footer.
func (p *pqParts) bytes(tb testing.TB) []byte {
	tb.Helper()
	footer, err := thrift.Marshal(new(thrift.CompactProtocol), &p.md)
	if err != nil {
		tb.Fatal(err)
	}
	return withFooter(p.data, footer)
}

// withFooter is data followed by footer, its length and the magic.
func withFooter(data, footer []byte) []byte {
	out := append(append([]byte{}, data...), footer...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(footer)))
	return append(out, "PAR1"...)
}

// chunk returns the metadata of the named column's chunk in row group rg.
func (p *pqParts) chunk(tb testing.TB, rg int, name string) *format.ColumnMetaData {
	tb.Helper()
	for i := range p.md.RowGroups[rg].Columns {
		if m := &p.md.RowGroups[rg].Columns[i].MetaData; m.PathInSchema[0] == name {
			return m
		}
	}
	tb.Fatalf("no column %s", name)
	return nil
}

// replaceChunk makes the named column's chunk in row group 0 the given
// pages, compressed with codec, appended after the file's column data.
func (p *pqParts) replaceChunk(tb testing.TB, name string, codec format.CompressionCodec, pages []byte, values int64) {
	tb.Helper()
	for i := range p.md.RowGroups[0].Columns {
		cc := &p.md.RowGroups[0].Columns[i]
		if cc.MetaData.PathInSchema[0] != name {
			continue
		}
		cc.ColumnIndexOffset, cc.ColumnIndexLength, cc.OffsetIndexOffset, cc.OffsetIndexLength = 0, 0, 0, 0
		m := &cc.MetaData
		m.Codec, m.NumValues = codec, values
		m.Encoding = []format.Encoding{format.Plain, format.RLE}
		m.DataPageOffset, m.DictionaryPageOffset = int64(len(p.data)), 0
		m.TotalCompressedSize, m.TotalUncompressedSize = int64(len(pages)), int64(len(pages))
		m.EncodingStats = nil
		cc.FileOffset = int64(len(p.data))
		p.data = append(p.data, pages...)
		return
	}
	tb.Fatalf("no column %s", name)
}

// dataPage is a v1 data page of a required column, plain-encoded: its
// header, claiming uncompressed bytes, and body.
func dataPage(tb testing.TB, values int32, uncompressed int, body []byte) []byte {
	return encodedPage(tb, format.Plain, values, uncompressed, body)
}

func encodedPage(tb testing.TB, enc format.Encoding, values int32, uncompressed int, body []byte) []byte {
	tb.Helper()
	h, err := thrift.Marshal(new(thrift.CompactProtocol), &format.PageHeader{
		Type: format.DataPage, UncompressedPageSize: int32(uncompressed), CompressedPageSize: int32(len(body)),
		DataPageHeader: thrift.New(format.DataPageHeader{NumValues: values, Encoding: enc,
			DefinitionLevelEncoding: format.RLE, RepetitionLevelEncoding: format.RLE}),
	})
	if err != nil {
		tb.Fatal(err)
	}
	return append(h, body...)
}

// plainRows is a valid file of n rows of required id, score and text, plain
// and uncompressed, so that a test can replace one column's pages.
func plainRows(tb testing.TB, n int) []byte {
	type row struct {
		ID    string `parquet:"id"`
		Score int64  `parquet:"score"`
		Text  string `parquet:"text"`
	}
	rows := make([]row, n)
	for i := range rows {
		rows[i] = row{ID: "R" + string(rune('a'+i%26)) + strings.Repeat("x", i/26), Score: int64(i % 11), Text: "好"}
	}
	var buf bytes.Buffer
	if err := parquet.Write(&buf, rows); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// readParquetFile opens and reads data as a Parquet input to its end,
// returning the rows read, the first fatal error and the bytes the read
// allocated.
func readParquetFile(tb testing.TB, dir string, data []byte) (rows int, err error, alloc uint64) {
	tb.Helper()
	p := filepath.Join(dir, "hostile.parquet")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		tb.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	defer func() {
		runtime.ReadMemStats(&after)
		alloc = after.TotalAlloc - before.TotalAlloc
	}()
	src, err := Open(context.Background(), p, Options{Columns: cols})
	if err != nil {
		return 0, err, 0
	}
	defer src.Close()
	for {
		_, err := src.Next()
		var re *RecordError
		switch {
		case errors.Is(err, io.EOF):
			return rows, nil, 0
		case errors.As(err, &re):
		case err != nil:
			return rows, err, 0
		}
		rows++
	}
}

// maxHostileAlloc is the most a read of a small hostile file may allocate,
// in all: arrow-go would allocate what the file claims, gigabytes.
const maxHostileAlloc = 64 << 20

// TestParquetFooterClaims: a footer whose sizes, offsets or counts do not
// fit the file fails it with ErrCorrupt naming the file and the claim, and
// the read allocates little (before, a column chunk claiming 2^35 bytes
// made arrow-go allocate 32 GiB: "fatal error: runtime: out of memory").
func TestParquetFooterClaims(t *testing.T) {
	good := parquetFixture(t, 50) // text dictionary-encoded
	dir := t.TempDir()
	if rows, err, _ := readParquetFile(t, dir, splitParquet(t, good).bytes(t)); err != nil || rows != 50 {
		t.Fatalf("the footer taken apart and put back: %d rows, %v; want 50 rows", rows, err)
	}
	tests := []struct {
		name   string
		change func(p *pqParts)
		want   string
	}{
		{"column chunk of 2^35 bytes", func(p *pqParts) { p.chunk(t, 0, "text").TotalCompressedSize = 1 << 35 }, "claims 34359738368 bytes"},
		{"negative column chunk size", func(p *pqParts) { p.chunk(t, 0, "id").TotalCompressedSize = -5 }, "claims -5 bytes"},
		{"data page past the end", func(p *pqParts) { p.chunk(t, 0, "score").DataPageOffset = 1 << 40 }, "at offset 1099511627776"},
		{"dictionary page inside the magic", func(p *pqParts) { p.chunk(t, 0, "text").DictionaryPageOffset = 2 }, "at offset 2"},
		{"chunk overlapping the footer", func(p *pqParts) {
			m := p.chunk(t, 0, "text")
			m.TotalCompressedSize = int64(len(p.data)) - m.DictionaryPageOffset + 1
		}, "outside the file's"},
		{"2^60 rows", func(p *pqParts) { p.md.RowGroups[0].NumRows = 1 << 60 }, "claims 1152921504606846976 rows"},
		{"negative rows", func(p *pqParts) { p.md.RowGroups[0].NumRows = -1 }, "claims -1 rows"},
		{"2^40 values", func(p *pqParts) { p.chunk(t, 0, "id").NumValues = 1 << 40 }, "claims 1099511627776 values"},
		{"column index past the end", func(p *pqParts) {
			p.md.RowGroups[0].Columns[0].ColumnIndexOffset, p.md.RowGroups[0].Columns[0].ColumnIndexLength = 1<<33, 1000
		}, "column index claims 1000 bytes"},
		{"footer of 17 MiB", func(p *pqParts) {
			p.md.KeyValueMetadata = append(p.md.KeyValueMetadata, format.KeyValue{Key: "x", Value: strings.Repeat("x", 17<<20)})
		}, "over the 16 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := splitParquet(t, good)
			tt.change(p)
			_, err, alloc := readParquetFile(t, dir, p.bytes(t))
			t.Logf("%v, %d MiB allocated", err, alloc>>20)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "hostile.parquet") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrCorrupt naming the file and %q", err, tt.want)
			}
			if alloc > maxHostileAlloc {
				t.Errorf("the read allocated %d MiB, want under %d MiB", alloc>>20, maxHostileAlloc>>20)
			}
		})
	}
}

// TestParquetFooterBombs: a footer's Thrift list claiming more elements
// than the footer has bytes is refused before arrow-go's decoder makes the
// slice it claims (100M schema elements: 800 MB), and so is a footer
// length past the file.
func TestParquetFooterBombs(t *testing.T) {
	data := plainRows(t, 3)
	head := data[:len(data)-8-int(binary.LittleEndian.Uint32(data[len(data)-8:]))]
	list := binary.AppendUvarint([]byte{0x15, 0x02, 0x19, 0xFC}, 100_000_000) // version 1, schema: list<struct> of 1e8
	long := append([]byte{}, data...)
	binary.LittleEndian.PutUint32(long[len(long)-8:], uint32(len(data))) // one byte more than the file after it
	deep := []byte{0x15, 0x02, 0x1C}                                     // version, then nested structs
	for range 40 {
		deep = append(deep, 0x1C)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"schema list of 1e8 elements", withFooter(head, append(list, 0)), "a list of 100000000"},
		{"footer length past the file", long, "more than the"},
		{"structs nested 40 deep", withFooter(head, deep), "nested deeper than 32"},
		{"footer cut short", withFooter(head, []byte{0x15, 0x02, 0x19}), "footer: ends inside a value"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err, alloc := readParquetFile(t, dir, tt.data)
			t.Logf("%v, %d MiB allocated", err, alloc>>20)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "hostile.parquet") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want ErrCorrupt naming the file and %q", err, tt.want)
			}
			if alloc > maxHostileAlloc {
				t.Errorf("the read allocated %d MiB, want under %d MiB", alloc>>20, maxHostileAlloc>>20)
			}
		})
	}
}

// zstdFrame is a zstd frame of raw followed by n bytes of 'a' in RLE
// blocks, without a content size: only decoding it tells its size.
func zstdFrame(raw []byte, n int) []byte {
	b := []byte{0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x38} // magic, no content size, 128 KiB window
	if len(raw) > 0 {
		h := uint32(len(raw)) << 3 // a raw block
		b = append(append(b, byte(h), byte(h>>8), byte(h>>16)), raw...)
	}
	for n > 0 {
		k := min(n, 128<<10)
		n -= k
		last := 0
		if n == 0 {
			last = 1
		}
		h := uint32(last) | 1<<1 | uint32(k)<<3 // an RLE block of k bytes
		b = append(b, byte(h), byte(h>>8), byte(h>>16), 'a')
	}
	return b
}

// TestParquetPageBombs: a page whose compressed body decodes to more than
// its header claims (or whose header claims more than a page may hold)
// fails the file without the memory it asks for. Before, a zstd frame
// claiming 60 GiB killed the process, and the others allocated gigabytes.
func TestParquetPageBombs(t *testing.T) {
	good := plainRows(t, 5)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	zeros := make([]byte, 1<<20)
	for range 512 {
		zw.Write(zeros)
	}
	zw.Close()
	// A frame whose header claims 60 GiB of content (under the decoder's
	// 64 GiB default), with a 128 KiB window.
	fcs := binary.LittleEndian.AppendUint64([]byte{0x28, 0xB5, 0x2F, 0xFD, 0xC0, 0x38}, 60<<30)
	fcs = append(fcs, 0x09, 0x00, 0x00, 'a')        // one raw block of 1 byte
	snappy := binary.AppendUvarint(nil, 0xFFFFFFFF) // claims 4 GiB
	snappy = append(snappy, 0, 0, 0, 0)
	// DELTA_BINARY_PACKED: blocks of 2^32-128 values in one miniblock, which
	// arrow-go makes a slice for (32 GiB) before decoding it.
	delta := binary.AppendUvarint(nil, 1<<32-128)
	delta = binary.AppendUvarint(binary.AppendUvarint(binary.AppendUvarint(delta, 1), 5), 0) // 1 miniblock, 5 values, first 0
	delta = append(delta, 0, 0)                                                              // minimum delta 0, width 0
	tests := []struct {
		name, col string
		codec     format.CompressionCodec
		page      []byte
	}{
		{"zstd frame claiming 60 GiB", "text", format.Zstd, dataPage(t, 5, 100, fcs)},
		{"zstd frame decoding to 2 GiB", "text", format.Zstd, dataPage(t, 5, 100, zstdFrame(nil, 2<<30))},
		{"snappy claiming 4 GiB", "text", format.Snappy, dataPage(t, 5, 100, snappy)},
		{"gzip of 512 MiB in a page claiming 0 bytes", "text", format.Gzip, dataPage(t, 5, 0, gz.Bytes())},
		{"page claiming 200 MiB uncompressed", "text", format.Zstd, dataPage(t, 5, 200<<20, zstdFrame(nil, 1000))},
		{"delta blocks of 2^32 values", "score", format.Uncompressed, encodedPage(t, format.DeltaBinaryPacked, 5, len(delta), delta)},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := splitParquet(t, good)
			p.replaceChunk(t, tt.col, tt.codec, tt.page, 5)
			rows, err, alloc := readParquetFile(t, dir, p.bytes(t))
			t.Logf("%d rows, %v, %d MiB allocated", rows, err, alloc>>20)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "hostile.parquet") {
				t.Errorf("%d rows, err = %v, want ErrCorrupt naming the file", rows, err)
			}
			if alloc > maxHostileAlloc {
				t.Errorf("the read allocated %d MiB, want under %d MiB", alloc>>20, maxHostileAlloc>>20)
			}
		})
	}
}

// TestParquetMemoryBound: five valid zstd pages, each one value of 100 MiB
// (a few KiB compressed), make a batch of 500 MiB: the read fails at
// parquetMemory instead of holding it.
func TestParquetMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes 100 MB pages: slow; run without -short")
	}
	body := zstdFrame(binary.LittleEndian.AppendUint32(nil, 100<<20), 100<<20) // a plain value: length, bytes
	var pages []byte
	for range 5 {
		pages = append(pages, dataPage(t, 1, 4+100<<20, body)...)
	}
	p := splitParquet(t, plainRows(t, 5))
	p.replaceChunk(t, "text", format.Zstd, pages, 5)
	start := time.Now()
	rows, err, _ := readParquetFile(t, t.TempDir(), p.bytes(t))
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "more than 384 MiB") {
		t.Errorf("%d rows, err = %v, want ErrCorrupt past parquetMemory", rows, err)
	}
	t.Logf("failed after %s", time.Since(start))
}

// TestParquetValidInputs: files of the writers and layouts we read (parquet-go
// with each codec, dictionaries, nulls, several row groups; arrow-go's
// writer) read whole under the bounds, with the values they hold.
func TestParquetValidInputs(t *testing.T) {
	dir := t.TempDir()
	for name, data := range parquetSeeds(t) {
		rows, err, _ := readParquetFile(t, dir, data)
		if err != nil || (rows == 0) != strings.Contains(name, "no rows") {
			t.Errorf("%s: %d rows, %v", name, rows, err)
		}
	}
	// 150 row groups: the memory bound counts what is freed.
	type row struct {
		ID    string  `parquet:"id"`
		Score float64 `parquet:"score"`
		Text  string  `parquet:"text,dict"`
	}
	rows := make([]row, 300_000)
	for i := range rows {
		rows[i] = row{ID: "R" + strings.Repeat("x", i%50) + string(rune('a'+i%26)), Score: float64(i % 11), Text: strings.Repeat("信号很差", 1+i%40)}
	}
	var buf bytes.Buffer
	if err := parquet.Write(&buf, rows, parquet.MaxRowsPerRowGroup(2_000), parquet.Compression(&pqzstd.Codec{})); err != nil {
		t.Fatal(err)
	}
	if n, err, _ := readParquetFile(t, dir, buf.Bytes()); err != nil || n != len(rows) {
		t.Errorf("300,000 rows in 150 row groups: %d rows, %v", n, err)
	}
}

// parquetSeeds are small valid files of the layouts we read: int, double
// and string columns, plain and dictionary-encoded, with nulls, each codec,
// several row groups, pages v1 and v2, and arrow-go's writer's layout.
func parquetSeeds(tb testing.TB) map[string][]byte {
	type plain struct {
		ID    string `parquet:"id"`
		Score int64  `parquet:"score"`
		Text  string `parquet:"text"`
	}
	type nullable struct {
		ID    *string `parquet:"id,optional"`
		Score *int32  `parquet:"score,optional"`
		Text  *string `parquet:"text,optional,dict"`
		Extra float32 `parquet:"extra"`
	}
	type delta struct {
		ID    string `parquet:"id,delta"`
		Score int32  `parquet:"score,delta"`
		Text  string `parquet:"text,delta"`
	}
	seeds := map[string][]byte{"double score, dictionary text": parquetFixture(tb, 40)}
	write := func(name string, rows any, opts ...parquet.WriterOption) {
		var buf bytes.Buffer
		var err error
		switch r := rows.(type) {
		case []plain:
			err = parquet.Write(&buf, r, opts...)
		case []nullable:
			err = parquet.Write(&buf, r, opts...)
		case []delta:
			err = parquet.Write(&buf, r, opts...)
		}
		if err != nil {
			tb.Fatal(err)
		}
		seeds[name] = buf.Bytes()
	}
	p := make([]plain, 30)
	n := make([]nullable, 30)
	d := make([]delta, 300)
	for i := range d {
		d[i] = delta{ID: fmt.Sprintf("R%04d", i*7), Score: int32(i % 11), Text: strings.Repeat("信号", i%5)}
	}
	for i := range p {
		id, score, text := "R"+strings.Repeat("1", i), int32(i%11), []string{"好", "差", "信号"}[i%3]
		p[i] = plain{ID: id, Score: int64(score), Text: text}
		n[i] = nullable{Extra: float32(i)}
		if i%4 != 0 {
			n[i].ID, n[i].Score, n[i].Text = &id, &score, &text
		}
	}
	write("int64 score, plain text", p)
	write("int64 score, zstd, pages v1", p, parquet.Compression(&pqzstd.Codec{}), parquet.DataPageVersion(1))
	write("nulls, snappy", n, parquet.Compression(&parquet.Snappy))
	write("nulls, gzip, 3 row groups", n, parquet.Compression(&parquet.Gzip), parquet.MaxRowsPerRowGroup(10))
	write("delta encodings, snappy", d, parquet.Compression(&parquet.Snappy))
	write("delta encodings, pages v1", d, parquet.DataPageVersion(1))
	seeds["arrow-go writer, no rows"] = arrowWrittenN(tb, 0)
	seeds["arrow-go writer"] = arrowWritten(tb, arrowpq.WithCompression(compress.Codecs.Zstd), arrowpq.WithDataPageVersion(arrowpq.DataPageV2))
	seeds["arrow-go writer, delta, pages v1"] = arrowWritten(tb, arrowpq.WithDictionaryDefault(false), arrowpq.WithDataPageVersion(arrowpq.DataPageV1),
		arrowpq.WithEncodingFor("score", arrowpq.Encodings.DeltaBinaryPacked), arrowpq.WithEncodingFor("id", arrowpq.Encodings.DeltaByteArray),
		arrowpq.WithEncodingFor("text", arrowpq.Encodings.DeltaLengthByteArray), arrowpq.WithCompression(compress.Codecs.Gzip))
	return seeds
}

// arrowWritten is a small file of arrow-go's writer with props: a nullable
// int32 score, a dictionary text.
func arrowWritten(tb testing.TB, props ...arrowpq.WriterProperty) []byte {
	return arrowWrittenN(tb, 30, props...)
}

func arrowWrittenN(tb testing.TB, n int, props ...arrowpq.WriterProperty) []byte {
	tb.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String},
		{Name: "score", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "text", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}},
	}, nil)
	b := array.NewRecordBuilder(memory.NewGoAllocator(), schema)
	defer b.Release()
	for i := range n {
		b.Field(0).(*array.StringBuilder).Append(fmt.Sprintf("A%d", i))
		if i%5 == 0 {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.Int32Builder).Append(int32(i % 11))
		}
		if err := b.Field(2).(*array.BinaryDictionaryBuilder).AppendString([]string{"好", "差"}[i%2]); err != nil {
			tb.Fatal(err)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	var buf bytes.Buffer
	w, err := pqarrow.NewFileWriter(schema, &buf, arrowpq.NewWriterProperties(props...), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzParquet: any bytes read as a Parquet input end, in rows or an error,
// within seconds, without a panic past the reader's recover and without
// allocating past the reader's bounds (a crash of the fuzzing process is
// the failure for an allocation Go cannot make).
func FuzzParquet(f *testing.F) {
	for _, data := range parquetSeeds(f) {
		f.Add(data)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		type result struct {
			alloc uint64
			err   error
		}
		done := make(chan result, 1)
		go func() {
			_, err, alloc := readParquetFile(t, dir, data)
			done <- result{alloc, err}
		}()
		select {
		case r := <-done:
			if r.alloc > 1<<30 {
				t.Errorf("the read allocated %d MiB (%v)", r.alloc>>20, r.err)
			}
		case <-time.After(10 * time.Second):
			buf := make([]byte, 64<<10)
			t.Fatalf("the read did not end in 10 s:\n%s", buf[:runtime.Stack(buf, true)])
		}
	})
}
