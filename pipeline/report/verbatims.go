package report

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/pipeline/table"
)

// verbatims reads the run's verbatims.parquet (chosen while the run tagged,
// aggregate.Verbatims); none for runs from before it existed.
func verbatims(dir string) ([]aggregate.VerbatimRow, error) {
	rows, err := table.ReadAll[aggregate.VerbatimRow](table.Path(dir, "verbatims.parquet"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", source.ErrInput, dir, err)
	}
	return rows, nil
}
