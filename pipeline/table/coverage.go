package table

import (
	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/pipeline/aggregate"
)

// ReadCoverage reads the coverage and the candidates a published run wrote
// (coverage.parquet, candidates.parquet), as Miner.Report and
// lextool.Coverage return them.
func ReadCoverage(dir string) (*aggregate.CoverageReport, error) {
	groups, err := parquet.ReadFile[aggregate.GroupCoverage](Path(dir, "coverage.parquet"))
	if err != nil {
		return nil, err
	}
	cands, err := parquet.ReadFile[aggregate.Candidate](Path(dir, "candidates.parquet"))
	if err != nil {
		return nil, err
	}
	return &aggregate.CoverageReport{Groups: groups, Candidates: cands}, nil
}
