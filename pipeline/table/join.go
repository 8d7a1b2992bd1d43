package table

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/parquet-go/parquet-go"
)

// Join joins the shard files <table>-*.parquet of dir into
// <table>.parquet, row group by row group, for each of tables, and removes
// them. It returns the rows of each joined table.
func Join(dir, compression string, tables []string) (map[string]int64, error) {
	rows := map[string]int64{}
	for _, table := range tables {
		shards, err := filepath.Glob(filepath.Join(dir, table+"-*.parquet"))
		if err != nil || len(shards) == 0 {
			return nil, fmt.Errorf("joining %s: no shard (%v)", table, err)
		}
		slices.Sort(shards)
		n, err := joinFiles(filepath.Join(dir, table+".parquet"), compression, shards)
		if err != nil {
			return nil, err
		}
		rows[table+".parquet"] = n
		for _, s := range shards {
			os.Remove(s)
		}
	}
	return rows, nil
}

func joinFiles(path, compression string, shards []string) (int64, error) {
	var w *parquet.Writer
	var out *os.File
	var n int64
	for _, s := range shards {
		f, err := os.Open(s)
		if err != nil {
			return 0, err
		}
		st, _ := f.Stat()
		pf, err := parquet.OpenFile(f, st.Size())
		if err != nil {
			f.Close()
			return 0, fmt.Errorf("%s: %w", s, err)
		}
		if w == nil {
			var opts []parquet.WriterOption
			if out, opts, err = create(path, compression); err != nil {
				f.Close()
				return 0, err
			}
			// A row table's schema is named after its file: after the joined one.
			name := pf.Schema().Name()
			if name == filepath.Base(s) {
				name = filepath.Base(path)
			}
			w = parquet.NewWriter(out, append(opts, parquet.NewSchema(name, pf.Schema()))...)
		}
		for _, rg := range pf.RowGroups() {
			k, err := w.WriteRowGroup(rg)
			n += k
			if err != nil {
				f.Close()
				return 0, fmt.Errorf("joining %s: %w", s, err)
			}
		}
		f.Close()
	}
	return n, finish(w, out)
}
