package table

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"unsafe"

	"github.com/parquet-go/parquet-go"
)

// orderedGroup is a parquet-go group whose fields keep the order given:
// parquet-go's Group is a map and sorts its fields by name, which would
// scatter the columns of the tables whose columns come from the config and
// the lexicon (responses' segments, codes' dimensions).
type orderedGroup struct {
	parquet.Group
	order []string
}

func (g orderedGroup) Fields() []parquet.Field {
	fields := slices.Clone(g.Group.Fields())
	slices.SortStableFunc(fields, func(a, b parquet.Field) int {
		return slices.Index(g.order, a.Name()) - slices.Index(g.order, b.Name())
	})
	return fields
}

// Column is one top-level column of a row table.
type Column struct {
	Name string
	Node parquet.Node
}

// RowWriter writes rows built value by value to one Parquet file with
// parquet-go, for tables whose schema is only known at run time.
type RowWriter struct {
	f    *os.File
	w    *parquet.GenericWriter[any]
	rows []parquet.Row
	row  parquet.Row
	col  int // index of the next leaf column of the row being built
	n    int64
}

// NewRowWriter creates path for the columns. Leaf string columns are
// dictionary-encoded except those named in plain, which hold mostly distinct
// values (ids, texts), where a dictionary costs time and saves nothing.
func NewRowWriter(path, compression string, cols []Column, plain ...string) (*RowWriter, error) {
	g := orderedGroup{Group: parquet.Group{}}
	for _, c := range cols {
		node := c.Node
		switch {
		case !node.Leaf():
		case slices.Contains(plain, c.Name):
			node = parquet.Encoded(node, &parquet.Plain)
		case node.Type().Kind() == parquet.ByteArray, node.Type().Kind() == parquet.Int32:
			// Strings and small integers (scores, codes 1-3) repeat: a
			// dictionary and bit-packed indexes leave zstd little to do.
			node = parquet.Encoded(node, &parquet.RLEDictionary)
		}
		g.Group[c.Name] = node
		g.order = append(g.order, c.Name)
	}
	f, opts, err := create(path, compression)
	if err != nil {
		return nil, err
	}
	opts = append(opts, parquet.NewSchema(filepath.Base(path), g))
	return &RowWriter{f: f, w: parquet.NewGenericWriter[any](f, opts...)}, nil
}

// bytesOf views a string's bytes without copying: the writer only reads
// them, and copies them into its pages.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// String sets the row's next column to the required string v.
func (w *RowWriter) String(v string) {
	w.row = append(w.row, parquet.ByteArrayValue(bytesOf(v)).Level(0, 0, w.col))
	w.col++
}

// Int32 sets the row's next column to the required int32 v.
func (w *RowWriter) Int32(v int32) {
	w.row = append(w.row, parquet.Int32Value(v).Level(0, 0, w.col))
	w.col++
}

// Int64 sets the row's next column to the required int64 v.
func (w *RowWriter) Int64(v int64) {
	w.row = append(w.row, parquet.Int64Value(v).Level(0, 0, w.col))
	w.col++
}

// Bool sets the row's next column to the required boolean v.
func (w *RowWriter) Bool(v bool) {
	w.row = append(w.row, parquet.BooleanValue(v).Level(0, 0, w.col))
	w.col++
}

// Strings writes a required list of required strings: an empty list is one
// null at definition level 0; the first element repeats at level 0, the
// others at level 1.
func (w *RowWriter) Strings(vs []string) {
	if len(vs) == 0 {
		w.row = append(w.row, parquet.NullValue().Level(0, 0, w.col))
	}
	for i, v := range vs {
		w.row = append(w.row, parquet.ByteArrayValue(bytesOf(v)).Level(min(i, 1), 1, w.col))
	}
	w.col++
}

// EndRow ends the row being built, and starts the next one in a slot
// whose backing array a flushed row left.
func (w *RowWriter) EndRow() error {
	w.rows = append(w.rows, w.row)
	w.row, w.col = nil, 0
	w.n++
	if len(w.rows) >= 1024 {
		if err := w.flush(); err != nil {
			return err
		}
	}
	if n := len(w.rows); n < cap(w.rows) {
		w.row = w.rows[:n+1][n][:0]
	}
	return nil
}

func (w *RowWriter) flush() error {
	if len(w.rows) == 0 {
		return nil
	}
	_, err := w.w.WriteRows(w.rows)
	// Keep the rows' backing arrays for the next ones.
	for i := range w.rows {
		w.rows[i] = w.rows[i][:0]
	}
	w.rows = w.rows[:0]
	if err != nil {
		return fmt.Errorf("writing %s: %w", filepath.Base(w.f.Name()), err)
	}
	return nil
}

// Rows is the number of rows written so far.
func (w *RowWriter) Rows() int64 { return w.n }

// Close writes the rows left, finishes the file and syncs it to disk.
func (w *RowWriter) Close() error {
	if err := w.flush(); err != nil {
		w.f.Close()
		return err
	}
	return finish(w.w, w.f)
}
