package source

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math/bits"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
)

// What a Parquet file may make the reader hold. arrow-go allocates what the
// file's metadata claims (a column chunk's whole length, a page's sizes, a
// list's length in the footer) before it finds out that the bytes are not
// there, and a Go allocation that fails kills the process past any recover:
// every claim is checked first, against the file's size or these bounds.
const (
	maxFooterBytes = 16 << 20 // the footer (FileMetaData), read and decoded whole
	maxFooterItems = 1 << 20  // structs and list elements in the footer
	maxFooterDepth = 32       // nesting of the footer's structs and lists
	// A page's body as stored and decompressed (arrow-go's own defaults are
	// 64 MiB and 256 MiB); the writers we know make pages of 1 MiB or less,
	// dictionary pages of a few MiB.
	maxPageBytes             = 64 << 20
	maxPageUncompressedBytes = 128 << 20
	// parquetMemory bounds the memory arrow-go holds at once for one file:
	// page buffers, decoded dictionaries and the batch of rows being read.
	parquetMemory = 384 << 20
	// maxRowsPerByte bounds the rows (and a column chunk's values) a file
	// may claim, so that a footer claiming 2^60 rows cannot keep the run
	// busy for ever: a survey row holds an id of its own, at least a byte.
	maxRowsPerByte   = 1024
	parquetBatchRows = 8192
	// maxPageHeaderBytes is arrow-go's bound on a page header.
	maxPageHeaderBytes = 4 << 20
)

// parquetSource reads a Parquet file through Arrow, which turns any physical
// type (int32, int64, double, byte arrays, dictionaries) into a value whose
// text form we take: a score stored as a double reads as "9".
type parquetSource struct {
	pf   *file.Reader
	rr   pqarrow.RecordReader
	in   *inputFile
	file string
	idx  []int // for each column asked for, its position in a batch
	rec  arrow.RecordBatch
	i    int
	row  int
}

// ErrCorrupt means an input file is damaged; it is rejected as a whole.
var ErrCorrupt = errors.New("corrupt file")

// recoverCorrupt turns a panic of the Parquet reader (arrow-go panics on
// some damaged files, for instance an unknown logical type, and the memory
// bound panics past parquetMemory) into an error naming the file.
func recoverCorrupt(path string, err *error) {
	if v := recover(); v != nil {
		*err = fmt.Errorf("%s: %w: %v", path, ErrCorrupt, v)
	}
}

func openParquet(in *inputFile, columns []string) (src records, err error) {
	path := in.path
	defer recoverCorrupt(path, &err)
	if err := in.hashAll(); err != nil {
		return nil, err
	}
	footer, err := checkFooter(in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, corrupt(in, err))
	}
	mem := &boundedAllocator{mem: memory.NewGoAllocator(), limit: parquetMemory}
	props := parquet.NewReaderProperties(mem)
	// Read a column chunk through a 1 MiB buffer, not whole into memory.
	props.BufferedStreamEnabled = true
	props.BufferSize = 1 << 20
	props.MaxCompressedPageSize = maxPageBytes
	props.MaxUncompressedPageSize = maxPageUncompressedBytes
	pf, err := file.NewParquetReader(in, file.WithReadProps(props))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, corrupt(in, err))
	}
	if err := checkChunks(pf.MetaData(), in.Size()-8-int64(footer)); err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w", path, corrupt(in, err))
	}
	dropArrowSchema(pf.MetaData())
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{BatchSize: parquetBatchRows}, mem)
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w", path, corrupt(in, err))
	}
	fields := fr.Manifest.Fields
	header := make([]string, len(fields))
	for i, f := range fields {
		header[i] = f.Field.Name
	}
	idx, err := columnIndex(path, header, columns)
	if err != nil {
		pf.Close()
		return nil, err
	}
	// Read only the columns asked for, each a flat column: a nested one
	// holds no survey value, and arrow-go reads a struct's children on
	// goroutines of its own, where a panic on a damaged file is past recover.
	leaves, pos := []int{}, map[int]int{}
	for _, j := range idx {
		pos[j] = 0
	}
	for j := range fields {
		if _, ok := pos[j]; !ok {
			continue
		}
		if !fields[j].IsLeaf() {
			pf.Close()
			return nil, fmt.Errorf("%s: column %q is a %s: vocmine reads flat columns", path, header[j], fields[j].Field.Type)
		}
		pos[j] = len(leaves)
		leaves = append(leaves, fields[j].ColIndex)
	}
	for k, j := range idx {
		idx[k] = pos[j]
	}
	if err := checkPages(in, pf.MetaData(), in.Size()-8-int64(footer), leaves); err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w", path, corrupt(in, err))
	}
	rr, err := fr.GetRecordReader(in.ctx, leaves, nil)
	if err != nil {
		pf.Close()
		return nil, fmt.Errorf("%s: %w", path, corrupt(in, err))
	}
	return &parquetSource{pf: pf, rr: rr, in: in, file: path, idx: idx}, nil
}

// corrupt marks a reading error as the file's damage, unless the run was
// cancelled.
func corrupt(in *inputFile, err error) error {
	if cerr := in.ctx.Err(); cerr != nil {
		return cerr
	}
	return fmt.Errorf("%w: %w", ErrCorrupt, err)
}

func (s *parquetSource) Next() (rec Record, err error) {
	defer recoverCorrupt(s.file, &err)
	for s.rec == nil || s.i >= int(s.rec.NumRows()) {
		if !s.rr.Next() {
			if err := s.rr.Err(); err != nil && err != io.EOF {
				return Record{}, fmt.Errorf("%s: row %d: %w", s.file, s.row+1, corrupt(s.in, err))
			}
			return Record{}, io.EOF
		}
		s.rec, s.i = s.rr.RecordBatch(), 0
	}
	s.row++
	vals := make([]string, len(s.idx))
	for k, j := range s.idx {
		col := s.rec.Column(j)
		if !col.IsNull(s.i) {
			vals[k] = col.ValueStr(s.i)
		}
	}
	s.i++
	return Record{File: s.file, Line: s.row, Values: vals, Fields: vals, Sep: "\t"}, nil
}

func (s *parquetSource) Close() (err error) {
	defer recoverCorrupt(s.file, &err)
	s.rr.Release()
	return s.pf.Close()
}

// dropArrowSchema removes the Arrow schema an Arrow writer stores in the
// footer's key-value metadata (ARROW:schema, an IPC flatbuffer): arrow-go
// makes slices as long as its unchecked vector lengths say (a changed byte
// asked for 280 GB). The Parquet schema gives the same values as text; only
// Arrow-only types (durations, large strings, a dictionary's index type)
// are read as their Parquet storage.
func dropArrowSchema(md *metadata.FileMetaData) {
	kv := md.FileMetaData.KeyValueMetadata
	n := 0
	for _, e := range kv {
		if e.Key != "ARROW:schema" {
			kv[n] = e
			n++
		}
	}
	md.FileMetaData.KeyValueMetadata = kv[:n]
}

// checkFooter checks the file's tail (footer length, magic) and walks the
// footer's Thrift encoding, returning the footer's length.
func checkFooter(in *inputFile) (int, error) {
	size := in.Size()
	if size < 12 {
		return 0, fmt.Errorf("%d bytes, too short for Parquet (at least 12)", size)
	}
	var head, tail [8]byte
	if _, err := in.ReadAt(head[:4], 0); err != nil {
		return 0, err
	}
	if _, err := in.ReadAt(tail[:], size-8); err != nil {
		return 0, err
	}
	switch magic := string(tail[4:]); {
	case magic == "PARE":
		return 0, errors.New("an encrypted Parquet file: vocmine reads unencrypted ones")
	case magic != "PAR1" || string(head[:4]) != "PAR1":
		return 0, errors.New("not a Parquet file (it does not begin and end with PAR1)")
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	switch {
	case n > size-12:
		return 0, fmt.Errorf("the footer length field claims %d bytes, more than the %d-byte file can hold", n, size)
	case n > maxFooterBytes:
		return 0, fmt.Errorf("a footer of %d bytes, over the %d MiB vocmine reads", n, maxFooterBytes>>20)
	}
	b := make([]byte, n)
	if _, err := in.ReadAt(b, size-8-n); err != nil {
		return 0, err
	}
	w := footerWalk{b: b}
	if err := w.structure(0); err != nil {
		return 0, fmt.Errorf("footer: %w", err)
	}
	return int(n), nil
}

// checkChunks checks every row group's and column chunk's claims against
// the file: the column data lies in [4, dataEnd), before the footer.
func checkChunks(md *metadata.FileMetaData, dataEnd int64) error {
	maxRows := maxRowsPerByte * (dataEnd + 8)
	within := func(what string, off, n int64) error {
		if off < 4 || n < 0 || off > dataEnd || n > dataEnd-off {
			return fmt.Errorf("%s claims %d bytes at offset %d, outside the file's %d bytes of column data", what, n, off, dataEnd-4)
		}
		return nil
	}
	var rows int64
	for i := range md.NumRowGroups() {
		rg := md.RowGroup(i)
		n := rg.NumRows()
		if n < 0 || n > maxRows-rows {
			return fmt.Errorf("row group %d claims %d rows: more than %d rows per byte of the file", i, n, maxRowsPerByte)
		}
		rows += n
		if rg.NumColumns() != md.NumColumns() {
			return fmt.Errorf("row group %d has %d column chunks, the schema %d columns", i, rg.NumColumns(), md.NumColumns())
		}
		for j := range rg.NumColumns() {
			cc, err := rg.ColumnChunk(j)
			if err != nil {
				return fmt.Errorf("row group %d: %w", i, err)
			}
			what := fmt.Sprintf("row group %d, column %s", i, md.Schema.Column(j).Path())
			if v := cc.NumValues(); v < 0 || v > maxRows {
				return fmt.Errorf("%s claims %d values: more than %d per byte of the file", what, v, maxRowsPerByte)
			}
			if cc.NumValues() == 0 {
				// No page is read (arrow-go's writer gives an empty chunk
				// a data page offset of 0).
				if n := cc.TotalCompressedSize(); n < 0 || n > dataEnd {
					return fmt.Errorf("%s claims %d bytes, more than the file's %d bytes of column data", what, n, dataEnd-4)
				}
				continue
			}
			start := cc.DataPageOffset()
			if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && start > cc.DictionaryPageOffset() {
				start = cc.DictionaryPageOffset()
			}
			if err := within(what, start, cc.TotalCompressedSize()); err != nil {
				return err
			}
			end := start + cc.TotalCompressedSize()
			if off := cc.DataPageOffset(); off < start || off >= end {
				return fmt.Errorf("%s: data page offset %d outside its chunk [%d, %d)", what, off, start, end)
			}
			if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && cc.DictionaryPageOffset() >= end {
				return fmt.Errorf("%s: dictionary page offset %d outside its chunk [%d, %d)", what, cc.DictionaryPageOffset(), start, end)
			}
			if u := cc.TotalUncompressedSize(); u < 0 {
				return fmt.Errorf("%s: negative uncompressed size %d", what, u)
			}
			for _, ix := range []struct {
				name string
				loc  func(int) (metadata.IndexLocation, bool)
			}{{"column index", rg.ColumnIndexLocation}, {"offset index", rg.OffsetIndexLocation}} {
				if l, ok := ix.loc(j); ok {
					if err := within(what+" "+ix.name, l.Offset, int64(l.Length)); err != nil {
						return err
					}
				}
			}
			if off, n := cc.BloomFilterOffset(), cc.BloomFilterLength(); off != 0 || n != 0 {
				if err := within(what+" bloom filter", off, int64(n)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// pageHead is what checkPages reads of a page header.
type pageHead struct {
	typ, uncompressed, compressed, values int32
	crc                                   uint32
	hasCRC                                bool
	encoding, defEnc, repEnc              int32 // of the values and, in a v1 page, of the levels
	defLen, repLen                        int32 // bytes of the levels in a v2 page
	uncompressedV2                        bool  // a v2 page whose values are stored uncompressed
}

// Parquet page types and encodings checkPages tells apart.
const (
	pageData       = 0
	pageDictionary = 2
	pageDataV2     = 3

	encRLE                  = 3
	encBitPacked            = 4
	encDeltaBinaryPacked    = 5
	encDeltaLengthByteArray = 6
	encDeltaByteArray       = 7
)

// readPageHead parses a Thrift PageHeader at the start of b, returning it
// and its length in bytes.
func readPageHead(b []byte) (pageHead, int, error) {
	w := footerWalk{b: b}
	var h pageHead
	i32 := func(dst *int32) error {
		v, err := w.int()
		if err == nil && int64(int32(v)) != v {
			err = fmt.Errorf("a 32-bit field holds %d", v)
		}
		*dst = int32(v)
		return err
	}
	err := w.fields(0, func(id int16, t byte) error {
		switch {
		case t == tI32 && id == 1:
			return i32(&h.typ)
		case t == tI32 && id == 2:
			return i32(&h.uncompressed)
		case t == tI32 && id == 3:
			return i32(&h.compressed)
		case t == tI32 && id == 4:
			var crc int32
			h.hasCRC = true
			err := i32(&crc)
			h.crc = uint32(crc)
			return err
		case t == tStruct && (id == 5 || id == 7 || id == 8): // data, dictionary, data v2 page header
			return w.fields(1, func(f int16, t byte) error {
				switch {
				case t == tI32 && f == 1:
					return i32(&h.values)
				case t == tI32 && f == 2 && id != 8, t == tI32 && f == 4 && id == 8:
					return i32(&h.encoding)
				case t == tI32 && f == 3 && id == 5:
					return i32(&h.defEnc)
				case t == tI32 && f == 4 && id == 5:
					return i32(&h.repEnc)
				case t == tI32 && f == 5 && id == 8:
					return i32(&h.defLen)
				case t == tI32 && f == 6 && id == 8:
					return i32(&h.repLen)
				case t == tFalse && f == 7 && id == 8:
					h.uncompressedV2 = true
				}
				return w.value(t, 1)
			})
		}
		return w.value(t, 0)
	})
	return h, w.pos, err
}

// checkPages walks the pages of the column chunks the reader will read:
// each page header must parse and each page lie inside its chunk, its
// sizes within the page bounds, its CRC (when the writer wrote one: Spark,
// parquet-go) right, a dictionary no larger than parquetMemory once
// decoded, the header of a DELTA_* encoding sane (checkDelta), and the
// values of its data pages add up to the chunk's. arrow-go checks none of
// these: it allocates the sizes a header claims and decodes damaged pages
// into wrong values without an error.
func checkPages(in *inputFile, md *metadata.FileMetaData, dataEnd int64, leaves []int) error {
	var hb, body, plain []byte
	for i := range md.NumRowGroups() {
		rg := md.RowGroup(i)
		for _, j := range leaves {
			cc, err := rg.ColumnChunk(j)
			if err != nil {
				return fmt.Errorf("row group %d: %w", i, err)
			}
			if cc.NumValues() == 0 {
				continue // not read
			}
			col := md.Schema.Column(j)
			codec, err := compress.GetCodec(cc.Compression())
			if err != nil {
				return fmt.Errorf("row group %d, column %s: %w", i, col.Path(), err)
			}
			start := cc.DataPageOffset()
			if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && start > cc.DictionaryPageOffset() {
				start = cc.DictionaryPageOffset()
			}
			end := start + cc.TotalCompressedSize()
			// parquet-mr 1.2.8 and older left the dictionary page header out
			// of the chunk's size; arrow-go reads up to 100 bytes more.
			old := md.WriterVersion().LessThan(metadata.Parquet816FixedVersion)
			if old {
				end = min(end+100, dataEnd)
			}
			var values int64
			for off := start; off < end && !(old && values >= cc.NumValues()); {
				where := fmt.Sprintf("row group %d, column %s, page at offset %d", i, col.Path(), off)
				var h pageHead
				var n int
				for size := int64(64 << 10); ; size *= 2 {
					size = min(size, end-off, maxPageHeaderBytes)
					hb = grow(hb, int(size))
					if _, err := in.ReadAt(hb, off); err != nil {
						return fmt.Errorf("%s: %w", where, err)
					}
					if h, n, err = readPageHead(hb); !errors.Is(err, errFooterEnd) || size == min(end-off, maxPageHeaderBytes) {
						break
					}
				}
				switch {
				case err != nil:
					return fmt.Errorf("%s: header: %w", where, err)
				case h.compressed < 0 || int64(h.compressed) > end-off-int64(n):
					return fmt.Errorf("%s claims %d bytes, past its column chunk's end at %d", where, h.compressed, end)
				case h.compressed > maxPageBytes || h.uncompressed < 0 || h.uncompressed > maxPageUncompressedBytes:
					return fmt.Errorf("%s claims %d bytes, %d uncompressed: over the %d MiB (%d MiB uncompressed) a page may hold",
						where, h.compressed, h.uncompressed, maxPageBytes>>20, maxPageUncompressedBytes>>20)
				case h.values < 0:
					return fmt.Errorf("%s claims %d values", where, h.values)
				case h.typ == pageDictionary && int64(h.values)*valueBytes(col.PhysicalType())+int64(h.uncompressed) > parquetMemory:
					return fmt.Errorf("%s: a dictionary of %d values in %d bytes: over the %d MiB vocmine decodes at once", where, h.values, h.uncompressed, parquetMemory>>20)
				}
				delta := h.encoding == encDeltaBinaryPacked || h.encoding == encDeltaLengthByteArray || h.encoding == encDeltaByteArray
				if h.hasCRC || (delta && (h.typ == pageData || h.typ == pageDataV2)) {
					body = grow(body, int(h.compressed))
					if _, err := in.ReadAt(body, off+int64(n)); err != nil {
						return fmt.Errorf("%s: %w", where, err)
					}
				}
				if h.hasCRC {
					if crc := crc32.ChecksumIEEE(body); crc != h.crc {
						return fmt.Errorf("%s: its bytes are damaged (CRC %08x, the header says %08x)", where, crc, h.crc)
					}
				}
				if h.typ == pageData || h.typ == pageDataV2 {
					if delta {
						if plain, err = pageValues(h, body, codec, col.MaxRepetitionLevel(), col.MaxDefinitionLevel(), plain); err == nil {
							err = checkDelta(h.encoding, plain)
						}
						if err != nil {
							return fmt.Errorf("%s: %w", where, err)
						}
					}
					values += int64(h.values)
				}
				off += int64(n) + int64(h.compressed)
			}
			if values != cc.NumValues() {
				return fmt.Errorf("row group %d, column %s: its pages hold %d values, its metadata says %d", i, col.Path(), values, cc.NumValues())
			}
		}
	}
	return nil
}

// valueBytes is what one decoded value of a physical type takes in arrow-go
// (a byte array is a slice header).
func valueBytes(t parquet.Type) int64 {
	switch t {
	case parquet.Types.Boolean:
		return 1
	case parquet.Types.Int32, parquet.Types.Float:
		return 4
	case parquet.Types.Int64, parquet.Types.Double:
		return 8
	case parquet.Types.Int96:
		return 12
	}
	return 24
}

// pageValues returns the encoded values of a data page, after its levels:
// body decompressed (into buf, reused) and the levels skipped.
func pageValues(h pageHead, body []byte, codec compress.Codec, maxRep, maxDef int16, buf []byte) ([]byte, error) {
	if h.typ == pageDataV2 {
		levels := int64(h.defLen) + int64(h.repLen)
		if h.defLen < 0 || h.repLen < 0 || levels > int64(len(body)) || levels > int64(h.uncompressed) {
			return buf, fmt.Errorf("levels of %d and %d bytes in a page of %d", h.repLen, h.defLen, len(body))
		}
		if h.uncompressedV2 {
			return body[levels:], nil
		}
		buf = grow(buf, int(int64(h.uncompressed)-levels))
		out, err := compress.Decode(codec, buf, body[levels:])
		return buf, errors.Join(err, checkLen(len(out), len(buf)))
	}
	buf = grow(buf, int(h.uncompressed))
	out, err := compress.Decode(codec, buf, body)
	if err := errors.Join(err, checkLen(len(out), len(buf))); err != nil {
		return buf, err
	}
	for _, l := range []struct {
		enc int32
		max int16
	}{{h.repEnc, maxRep}, {h.defEnc, maxDef}} {
		if l.max == 0 {
			continue
		}
		var n int64
		switch l.enc {
		case encRLE:
			if len(out) < 4 {
				return buf, errors.New("levels cut short")
			}
			n = 4 + int64(binary.LittleEndian.Uint32(out))
		case encBitPacked:
			n = (int64(h.values)*int64(bits.Len16(uint16(l.max))) + 7) / 8
		default:
			return buf, fmt.Errorf("levels in encoding %d", l.enc)
		}
		if n > int64(len(out)) {
			return buf, fmt.Errorf("levels of %d bytes in a page of %d", n, len(out))
		}
		out = out[n:]
	}
	return out, nil
}

func checkLen(got, want int) error {
	if got != want {
		return fmt.Errorf("the page decompresses to %d bytes, its header says %d", got, want)
	}
	return nil
}

// Bounds on a DELTA_BINARY_PACKED stream's header: arrow-go makes a slice
// of a miniblock's values (block size / miniblocks, up to 2^32: 32 GiB) and
// one of the stream's values before decoding them. Writers use blocks of
// 128 to 2,048 values.
const (
	maxDeltaBlock  = 1 << 16
	maxDeltaValues = 1 << 24
)

// checkDelta checks the DELTA_BINARY_PACKED headers that begin the values
// of a page in encoding enc: one for DELTA_BINARY_PACKED and
// DELTA_LENGTH_BYTE_ARRAY, two (prefix lengths, then suffix lengths) for
// DELTA_BYTE_ARRAY.
func checkDelta(enc int32, b []byte) error {
	n, err := deltaStream(b)
	if err == nil && enc == encDeltaByteArray {
		_, err = deltaStream(b[n:])
	}
	if err != nil {
		return fmt.Errorf("delta-encoded values: %w", err)
	}
	return nil
}

// deltaStream walks one DELTA_BINARY_PACKED stream, returning its length.
func deltaStream(b []byte) (int, error) {
	w := footerWalk{b: b}
	var head [3]uint64 // block size, miniblocks per block, values
	for k := range head {
		v, err := w.uvarint()
		if err != nil {
			return 0, err
		}
		head[k] = v
	}
	block, minis, total := head[0], head[1], head[2]
	switch {
	case block == 0 || block%128 != 0 || block > maxDeltaBlock:
		return 0, fmt.Errorf("blocks of %d values (want a multiple of 128, at most %d)", block, maxDeltaBlock)
	case minis == 0 || block%minis != 0 || (block/minis)%32 != 0:
		return 0, fmt.Errorf("%d miniblocks in a block of %d values", minis, block)
	case total > maxDeltaValues:
		return 0, fmt.Errorf("%d values in one stream, over %d", total, maxDeltaValues)
	}
	if _, err := w.int(); err != nil { // the first value
		return 0, err
	}
	per := block / minis
	for left := max(total, 1) - 1; left > 0; {
		if _, err := w.int(); err != nil { // the block's minimum delta
			return 0, err
		}
		if uint64(len(b)-w.pos) < minis {
			return 0, errFooterEnd
		}
		widths := b[w.pos : w.pos+int(minis)]
		w.pos += int(minis)
		for _, width := range widths {
			if left == 0 {
				break
			}
			if width > 64 {
				return 0, fmt.Errorf("a miniblock of %d-bit deltas", width)
			}
			if n := per * uint64(width) / 8; n > uint64(len(b)-w.pos) {
				return 0, errFooterEnd
			} else {
				w.pos += int(n)
			}
			left -= min(left, per)
		}
	}
	return w.pos, nil
}

// grow returns b with length n, reusing its memory when it can.
func grow(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}

// boundedAllocator is arrow-go's Go allocator with a bound on the bytes
// allocated and not yet freed: past it, it panics (recoverCorrupt turns the
// panic into the file's error), before Go's own allocation could fail.
type boundedAllocator struct {
	mem   memory.Allocator
	limit int64
	n     atomic.Int64
}

// errParquetMemory is the panic of a read that needs more than
// parquetMemory at once: a value, a page or a dictionary over what a survey
// file holds, or a decompression bomb.
var errParquetMemory = fmt.Errorf("reading needs more than %d MiB of memory at once (a value, page or dictionary far larger than a survey's, or a decompression bomb)", parquetMemory>>20)

func (a *boundedAllocator) take(n int) {
	if a.n.Add(int64(n)) > a.limit && n > 0 {
		a.n.Add(-int64(n))
		panic(errParquetMemory)
	}
}

func (a *boundedAllocator) Allocate(size int) []byte {
	a.take(size)
	return a.mem.Allocate(size)
}

func (a *boundedAllocator) Reallocate(size int, b []byte) []byte {
	a.take(size - len(b))
	return a.mem.Reallocate(size, b)
}

func (a *boundedAllocator) Free(b []byte) {
	a.n.Add(-int64(len(b)))
	a.mem.Free(b)
}

// init replaces arrow-go's decompressors of the codecs that can be made to
// allocate past the page's declared size: zstd (a frame claiming a content
// size, or decoding past it), snappy (a header claiming up to 4 GiB), gzip
// and brotli (read to their end when the page claims 0 bytes). arrow-go
// looks codecs up in a registry of its own, with no option per reader; it
// fills the registry in its init functions and reads it without a lock, so
// the only race-free place to override an entry is an init function too.
// The replacements decode every valid page as the originals do.
func init() {
	for _, c := range []compress.Compression{compress.Codecs.Zstd, compress.Codecs.Snappy, compress.Codecs.Gzip, compress.Codecs.Brotli} {
		if orig, err := compress.GetCodec(c); err == nil {
			compress.RegisterCodec(c, boundedCodec{Codec: orig, kind: c})
		}
	}
}

// zstdPages decodes a zstd page into at most the capacity of its buffer.
var zstdPages, _ = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecodeAllCapLimit(true),
	zstd.WithDecoderMaxMemory(maxPageUncompressedBytes))

// boundedCodec decodes a page into dst, sized by the page header (itself
// bounded by maxPageUncompressedBytes), and never into more.
type boundedCodec struct {
	compress.Codec
	kind compress.Compression
}

func (c boundedCodec) Decode(dst, src []byte) []byte {
	out, err := c.DecodeWithError(dst, src)
	if err != nil {
		panic(err)
	}
	return out
}

func (c boundedCodec) DecodeWithError(dst, src []byte) ([]byte, error) {
	switch c.kind {
	case compress.Codecs.Zstd:
		return zstdPages.DecodeAll(src, dst[:0])
	case compress.Codecs.Snappy:
		n, err := snappy.DecodedLen(src)
		if err != nil {
			return nil, err
		}
		if n > len(dst) {
			return nil, fmt.Errorf("snappy: %d bytes decoded, the page claims %d", n, len(dst))
		}
	}
	if dst == nil {
		dst = []byte{} // gzip and brotli read a nil dst to the stream's end
	}
	return compress.Decode(c.Codec, dst, src)
}

// Thrift compact protocol types (the Parquet footer's encoding).
const (
	tStop = iota
	tTrue
	tFalse
	tByte
	tI16
	tI32
	tI64
	tDouble
	tBinary
	tList
	tSet
	tMap
	tStruct
	tUUID
)

// footerWalk walks a Thrift compact-protocol struct without decoding it,
// so that the footer's claims can be checked before arrow-go allocates from
// them: thrift-go makes a list's slice as large as its header says, up to
// 100M elements, before reading one.
type footerWalk struct {
	b     []byte
	pos   int
	items int // structs and container elements
}

var errFooterEnd = errors.New("ends inside a value")

func (w *footerWalk) byte() (byte, error) {
	if w.pos >= len(w.b) {
		return 0, errFooterEnd
	}
	w.pos++
	return w.b[w.pos-1], nil
}

func (w *footerWalk) uvarint() (uint64, error) {
	v, n := binary.Uvarint(w.b[w.pos:])
	if n <= 0 {
		return 0, fmt.Errorf("a bad varint at byte %d", w.pos)
	}
	w.pos += n
	return v, nil
}

// size reads a container or binary length and checks it against the bytes
// left: every element takes at least one byte.
func (w *footerWalk) size(what string) (int, error) {
	v, err := w.uvarint()
	if err != nil {
		return 0, err
	}
	if v > uint64(len(w.b)-w.pos) {
		return 0, fmt.Errorf("%s of %d at byte %d, with %d bytes left", what, v, w.pos, len(w.b)-w.pos)
	}
	return int(v), nil
}

func (w *footerWalk) count(n int) error {
	w.items += n
	if w.items > maxFooterItems {
		return fmt.Errorf("more than %d structs and list elements", maxFooterItems)
	}
	return nil
}

// structure walks one struct, up to its stop byte.
func (w *footerWalk) structure(depth int) error {
	return w.fields(depth, func(_ int16, t byte) error { return w.value(t, depth) })
}

// fields walks one struct, handing each field's id and type to field,
// which reads or walks the value.
func (w *footerWalk) fields(depth int, field func(id int16, t byte) error) error {
	if depth > maxFooterDepth {
		return fmt.Errorf("nested deeper than %d", maxFooterDepth)
	}
	if err := w.count(1); err != nil {
		return err
	}
	var id int16
	for {
		h, err := w.byte()
		if err != nil {
			return err
		}
		if h == tStop {
			return nil
		}
		if d := h >> 4; d != 0 {
			id += int16(d)
		} else { // a field id of its own, not a delta
			v, err := w.int()
			if err != nil {
				return err
			}
			id = int16(v)
		}
		if err := field(id, h&0x0f); err != nil {
			return err
		}
	}
}

// int reads a zigzag varint (i16, i32, i64).
func (w *footerWalk) int() (int64, error) {
	v, err := w.uvarint()
	return int64(v>>1) ^ -int64(v&1), err
}

// value walks one value of type t (a field's, or a container element's,
// where a bool takes a byte).
func (w *footerWalk) value(t byte, depth int) error {
	var err error
	switch t {
	case tTrue, tFalse:
	case tByte:
		_, err = w.byte()
	case tI16, tI32, tI64:
		_, err = w.uvarint()
	case tDouble, tUUID:
		n := map[byte]int{tDouble: 8, tUUID: 16}[t]
		if len(w.b)-w.pos < n {
			return errFooterEnd
		}
		w.pos += n
	case tBinary:
		var n int
		if n, err = w.size("a string"); err == nil {
			w.pos += n
		}
	case tList, tSet:
		h, err := w.byte()
		if err != nil {
			return err
		}
		n := int(h >> 4)
		if n == 15 {
			if n, err = w.size("a list"); err != nil {
				return err
			}
		}
		if err := w.count(n); err != nil {
			return err
		}
		et := h & 0x0f
		if et == tTrue || et == tFalse {
			et = tByte
		}
		for range n {
			if err := w.value(et, depth+1); err != nil {
				return err
			}
		}
	case tMap:
		n, err := w.size("a map")
		if err != nil || n == 0 {
			return err
		}
		if err := w.count(2 * n); err != nil {
			return err
		}
		kv, err := w.byte()
		if err != nil {
			return err
		}
		for range n {
			for _, et := range []byte{kv >> 4, kv & 0x0f} {
				if et == tTrue || et == tFalse {
					et = tByte
				}
				if err := w.value(et, depth+1); err != nil {
					return err
				}
			}
		}
	case tStruct:
		err = w.structure(depth + 1)
	default:
		err = fmt.Errorf("an unknown thrift type %d at byte %d", t, w.pos-1)
	}
	return err
}
