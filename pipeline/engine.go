package pipeline

import (
	"cmp"
	"errors"
	"log/slog"
	"slices"

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
