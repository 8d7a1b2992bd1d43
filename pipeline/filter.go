package pipeline

import (
	"slices"
	"strings"

	"github.com/vocmine/vocmine/config"
)

// filter applies input.filter to a record's values: out-of-target rows are
// counted as filtered, never rejected. It is pure.
type filter struct {
	rules []config.FilterRule
	idx   []int // index of each rule's column in Record.Values
}

// keep reports whether values pass every rule.
func (f *filter) keep(values []string) bool {
	for i, r := range f.rules {
		v := strings.TrimSpace(values[f.idx[i]])
		if len(r.In) > 0 && !slices.Contains(r.In, v) || slices.Contains(r.NotIn, v) {
			return false
		}
	}
	return true
}
