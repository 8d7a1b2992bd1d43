package pipeline

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"

	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/tagger"
)

// What engines other than Run (the Beam pipeline in beam/) need besides Job:
// a worker's Job, the counters and verbatims as plain values that travel,
// and the steps that turn their shards into the same partition Run writes.

// NewWorkerJob is the per-record core of a job on a worker: Read, Classify
// and NewShard, with no lock, no staging folder of its own and no log.
func NewWorkerJob(cfg *config.Config, tg *tagger.Tagger, lexVersion string) *Job {
	j := &Job{Cfg: cfg, Tagger: tg, LexVersion: lexVersion, Log: slog.New(slog.DiscardHandler)}
	j.Dims, j.OfLeaf = aggregate.Dims(tg.Dimensions())
	j.prepare()
	return j
}

// ShardTables are the row tables a Shard writes.
var ShardTables = []string{"responses", "codes", "mentions"}

// JoinShards joins the shard files <table>-*.parquet of dir into
// <table>.parquet, row group by row group, for each of ShardTables, and
// removes them. It returns the rows of each joined table.
func JoinShards(dir, compression string) (map[string]int64, error) {
	rows := map[string]int64{}
	for _, table := range ShardTables {
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
			if out, opts, err = createParquet(path, compression); err != nil {
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
	return n, finishParquet(w, out)
}

// WriteRejects writes rejects.parquet and rejects.csv into dir, in input
// order (file, then byte offset), as Run writes them while reading.
func WriteRejects(dir, compression, lexVersion string, files []string, rejects []Reject) (int64, error) {
	slices.SortStableFunc(rejects, func(a, b Reject) int {
		return cmp.Or(cmp.Compare(slices.Index(files, a.File), slices.Index(files, b.File)), cmp.Compare(a.Offset, b.Offset))
	})
	s, err := newRejectSink(dir, compression)
	if err != nil {
		return 0, err
	}
	s.version = lexVersion
	err = s.Write(rejects)
	return int64(len(rejects)), errors.Join(err, s.Close())
}
