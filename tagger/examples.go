package tagger

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vocmine/vocmine/lexicon"
)

// ExampleFailure is a lexicon example whose tags differ from what it expects.
type ExampleFailure struct {
	Example lexicon.Example
	Got     []string // the tags it got, "dimension:polarity"
	Missing []string // expected and not got
	Extra   []string // got and not expected, or forbidden by Not
	Unknown []string // dimensions named by the example that the lexicon lacks
}

// String shows the failure as a diff: "-" what was expected and missing,
// "+" what came and was not expected.
func (f ExampleFailure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", f.Example.Pos, f.Example.Text)
	for _, u := range f.Unknown {
		fmt.Fprintf(&b, "  ? %s: no such dimension\n", u)
	}
	for _, m := range f.Missing {
		fmt.Fprintf(&b, "  - %s\n", m)
	}
	for _, e := range f.Extra {
		fmt.Fprintf(&b, "  + %s\n", e)
	}
	fmt.Fprintf(&b, "  got: [%s]\n", strings.Join(f.Got, ", "))
	return b.String()
}

// TestExamples tags every example and returns those that fail.
func (t *Tagger) TestExamples(exs []lexicon.Example) []ExampleFailure {
	var out []ExampleFailure
	for _, ex := range exs {
		f := ExampleFailure{Example: ex}
		for _, tag := range t.Tag(ex.Text).Tags {
			f.Got = append(f.Got, tag.Dimension+":"+tag.Polarity.String())
		}
		for _, want := range append(slices.Clone(ex.Tags), ex.Not...) {
			if dim, _, _ := strings.Cut(want, ":"); !t.knows(dim) {
				f.Unknown = append(f.Unknown, dim)
			}
		}
		if ex.HasTags {
			for _, want := range ex.Tags {
				if !slices.ContainsFunc(f.Got, func(g string) bool { return tagMatches(g, want) }) {
					f.Missing = append(f.Missing, want)
				}
			}
			for _, g := range f.Got {
				if !slices.ContainsFunc(ex.Tags, func(want string) bool { return tagMatches(g, want) }) {
					f.Extra = append(f.Extra, g)
				}
			}
		}
		for _, not := range ex.Not {
			for _, g := range f.Got {
				dim, _, _ := strings.Cut(g, ":")
				if (dim == not || strings.HasPrefix(dim, not+"/")) && !slices.Contains(f.Extra, g) {
					f.Extra = append(f.Extra, g)
				}
			}
		}
		if len(f.Missing)+len(f.Extra)+len(f.Unknown) > 0 {
			out = append(out, f)
		}
	}
	return out
}

// tagMatches reports whether a tag "dimension:polarity" is what want asks
// for: the same "dimension:polarity", or the same dimension when want names
// no polarity.
func tagMatches(got, want string) bool {
	if strings.Contains(want, ":") {
		return got == want
	}
	dim, _, _ := strings.Cut(got, ":")
	return dim == want
}

// knows reports whether name is a dimension of the lexicon or the top level
// of one.
func (t *Tagger) knows(name string) bool {
	for _, d := range t.dims {
		if d.Name == name || d.Top == name {
			return true
		}
	}
	return false
}
