package lextool

import (
	"cmp"
	"context"
	"slices"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/tagger"
)

// DimensionDiff counts, for one dimension, the reasons a lexicon change
// tags anew (Gained), no longer tags (Lost), or tags with another polarity
// (Changed), with a few examples of each.
type DimensionDiff struct {
	Dimension             string
	Gained, Lost, Changed int64
	Examples              []DiffExample
}

// DiffExample is one reason whose tag changed: Old and New are
// "dimension:polarity", empty on the side without the tag.
type DiffExample struct {
	Text, Old, New string
}

// DiffReport is what LexiconDiff found.
type DiffReport struct {
	Reasons    int64 // reasons read
	Changed    int64 // reasons whose tag set changed
	Dimensions []DimensionDiff
}

// LexiconDiff tags every reason of input (text column text, default
// input.text) with the old and the new tagger and reports, per dimension,
// what the change gains and loses, with up to examples reasons of each kind.
func LexiconDiff(ctx context.Context, cfg *config.Config, old, new *tagger.Tagger, input, text string, examples int) (*DiffReport, error) {
	rep := &DiffReport{}
	dims := map[string]*DimensionDiff{}
	kept := map[[2]string]int{} // (dimension, kind) -> examples kept
	get := func(name string) *DimensionDiff {
		if dims[name] == nil {
			dims[name] = &DimensionDiff{Dimension: name}
		}
		return dims[name]
	}
	example := func(d *DimensionDiff, kind string, ex DiffExample) {
		k := [2]string{d.Dimension, kind}
		if kept[k] < examples {
			kept[k]++
			d.Examples = append(d.Examples, ex)
		}
	}
	err := eachReason(ctx, cfg, input, cmp.Or(text, cfg.Input.Text), "", func(rec *source.Record) error {
		rep.Reasons++
		a, b := tagPolarities(old.Tag(rec.Values[0])), tagPolarities(new.Tag(rec.Values[0]))
		changed := false
		for dim, pa := range a {
			switch pb, ok := b[dim]; {
			case !ok:
				d := get(dim)
				d.Lost++
				example(d, "lost", DiffExample{rec.Values[0], dim + ":" + pa, ""})
				changed = true
			case pa != pb:
				d := get(dim)
				d.Changed++
				example(d, "changed", DiffExample{rec.Values[0], dim + ":" + pa, dim + ":" + pb})
				changed = true
			}
		}
		for dim, pb := range b {
			if _, ok := a[dim]; !ok {
				d := get(dim)
				d.Gained++
				example(d, "gained", DiffExample{rec.Values[0], "", dim + ":" + pb})
				changed = true
			}
		}
		if changed {
			rep.Changed++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, d := range dims {
		rep.Dimensions = append(rep.Dimensions, *d)
	}
	slices.SortFunc(rep.Dimensions, func(x, y DimensionDiff) int {
		return cmp.Or(cmp.Compare(y.Gained+y.Lost+y.Changed, x.Gained+x.Lost+x.Changed), cmp.Compare(x.Dimension, y.Dimension))
	})
	return rep, nil
}

// tagPolarities maps each tagged dimension of r to its polarity.
func tagPolarities(r tagger.Result) map[string]string {
	m := make(map[string]string, len(r.Tags))
	for _, t := range r.Tags {
		m[t.Dimension] = t.Polarity.String()
	}
	return m
}
