package source

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
)

// Header returns the column names of an input file, in order and as
// Open matches them (surrounding spaces and a BOM dropped): the
// header row of a csv, tsv or xlsx file, the top-level columns of a parquet
// file. A jsonl file has no header: nil, its lines name their own keys.
// o.Columns is ignored. It is for `vocmine init`, which guesses the columns
// a config should name.
func Header(ctx context.Context, path string, o Options) ([]string, error) {
	if o.Format == "parquet" || o.Format == "" && strings.EqualFold(filepath.Ext(path), ".parquet") {
		return parquetHeader(ctx, path, o.SpecialFiles) // a Source reads at least one column
	}
	o.Columns = nil
	src, err := Open(ctx, path, o)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	var header []string
	switch r := src.(*checked).records.(type) {
	case *xlsxSource:
		header = r.header
	case *csvSource:
		// The source has read past its header: read it again, decoded as
		// the source decoded it and bounded as it bounds a record.
		if header, err = csvHeader(ctx, path, o, r.r.Comma); err != nil {
			return nil, err
		}
	default:
		return nil, nil
	}
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = strings.TrimSpace(trimBOM(h))
	}
	return names, nil
}

func csvHeader(ctx context.Context, path string, o Options, comma rune) ([]string, error) {
	in, err := openInput(ctx, path, o.SpecialFiles)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	rd, err := openText(in, o.Encoding)
	if err != nil {
		return nil, err
	}
	if o.MaxRecordBytes <= 0 {
		o.MaxRecordBytes = 1 << 20
	}
	r := csv.NewReader(&guard{r: rd, limit: int64(o.MaxRecordBytes) + 64<<10})
	r.Comma = comma
	r.LazyQuotes = comma == '\t' // as openCSV reads tsv
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", path, ErrEmptyFile)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: reading header: %w", path, err)
	}
	return header, nil
}

// parquetHeader reads the names of a Parquet file's top-level columns from
// its footer, checked first as openParquet checks it.
func parquetHeader(ctx context.Context, path string, special bool) (names []string, err error) {
	in, err := openInput(ctx, path, special)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	defer recoverCorrupt(path, &err)
	if _, err := checkFooter(in); err != nil {
		return nil, fmt.Errorf("%s: %w", path, corrupt(in, err))
	}
	mem := &boundedAllocator{mem: memory.NewGoAllocator(), limit: parquetMemory}
	pf, err := file.NewParquetReader(in, file.WithReadProps(parquet.NewReaderProperties(mem)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, corrupt(in, err))
	}
	defer pf.Close()
	root := pf.MetaData().Schema.Root()
	for i := range root.NumFields() {
		names = append(names, strings.TrimSpace(root.Field(i).Name()))
	}
	return names, nil
}
