package lextool

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The labels of gold and predictions. Mixed is a top level whose children
// disagree; Absent is not mentioned.
const (
	Positive = "positive"
	Neutral  = "neutral"
	Negative = "negative"
	Mixed    = "mixed"
	Absent   = "absent"
)

// labels are the rows and columns of a confusion matrix, in this order.
var labels = [nLabels]string{Positive, Neutral, Negative, Mixed, Absent}

const (
	lPos = iota
	lNeu
	lNeg
	lMixed
	lAbsent
	nLabels
)

// SentimentTarget is the map target that compares an aspect's label with a
// reason's whole-review sentiment instead of a dimension.
const SentimentTarget = "@sentiment"

// Map renames gold aspects to lexicon dimensions (or SentimentTarget).
type Map struct {
	File    string
	Targets map[string]string // aspect -> dimension
}

// ReadMap reads a CSV "aspect,dimension" (a header first) and checks that
// every target is SentimentTarget or one of dims; name is the file's name in
// messages ("aspects.csv:4: ...").
func ReadMap(r io.Reader, name string, dims []string) (*Map, error) {
	m := &Map{File: name, Targets: map[string]string{}}
	lines := map[string]int{}
	var errs []error
	c, err := openCSV(r, name)
	if err != nil {
		return nil, err
	}
	err = c.each(func(line int, rec []string) {
		if len(rec) < 2 {
			errs = append(errs, fmt.Errorf("%s:%d: want aspect,dimension", name, line))
			return
		}
		aspect, dim := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		switch {
		case aspect == "":
			errs = append(errs, fmt.Errorf("%s:%d: empty aspect", name, line))
		case lines[aspect] > 0:
			errs = append(errs, fmt.Errorf("%s:%d: aspect %q mapped twice (first at line %d)", name, line, aspect, lines[aspect]))
		case dim != SentimentTarget && !slices.Contains(dims, dim):
			errs = append(errs, fmt.Errorf("%s:%d: dimension %q of aspect %q is not in the lexicon", name, line, dim, aspect))
		default:
			lines[aspect] = line
			m.Targets[aspect] = dim
		}
	})
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrGold, errors.Join(errs...))
	}
	return m, nil
}

// Gold is a labelled set of reasons.
type Gold struct {
	File string
	// IDs are the labelled ids in the order of their first row.
	IDs []string
	// Labels holds each labelled id's mentions, dimension -> polarity; an id
	// with an empty map is labelled, nothing mentioned (a row with an empty
	// dimension says so explicitly).
	Labels map[string]map[string]string
	// Sentiment is the whole-review label of the ids whose aspect the map
	// sends to SentimentTarget.
	Sentiment map[string]string
	// Texts are the rows' text column, when the file has one (a file written
	// by Sample): the input, when eval is given no other.
	Texts map[string]string
	// Dimensions are the dimensions the gold names (after the map), sorted.
	Dimensions []string
	// Unmapped counts the rows of aspects the map does not name: not scored.
	Unmapped int
	// Merged counts the (id, dimension) pairs that several aspects mapped to
	// one dimension labelled with different polarities (see ReadGold).
	Merged int
}

// HasText reports whether the gold file carries the reasons' text (a file
// written by Sample).
func (g *Gold) HasText() bool { return g.Texts != nil }

// ReadGold reads a gold CSV with a header. When the header names columns id,
// dimension and polarity (as Sample writes them, with group and text), they
// are used by name, and a text column is kept; otherwise the first three
// columns are id, dimension (or aspect) and polarity, whatever their names
// (aic2018's review_id,aspect,polarity). Polarity is positive, neutral or
// negative; a row with an empty dimension labels the reason with nothing
// mentioned. With a map, aspects are renamed and those it does not name are
// skipped (counted in Unmapped); without one, every dimension must be one of
// dims. Several aspects mapped to one dimension give it the sign of their
// polarities' sum (positive +1, negative -1, neutral 0). A UTF-8 BOM is
// accepted. Every problem is reported, each as name:line.
func ReadGold(r io.Reader, name string, m *Map, dims []string) (*Gold, error) {
	g := &Gold{File: name, Labels: map[string]map[string]string{}}
	cols := [4]int{0, 1, 2, -1} // id, dimension, polarity, text
	sums := map[[2]string]int{}
	seen := map[[2]string]int{} // (id, aspect) -> line
	named := map[string]bool{}
	var errs []error
	bad := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...)))
	}
	c, err := openCSV(r, name)
	if err != nil {
		return nil, err
	}
	if i, d, p := slices.Index(c.header, "id"), slices.Index(c.header, "dimension"), slices.Index(c.header, "polarity"); i >= 0 && d >= 0 && p >= 0 {
		cols = [4]int{i, d, p, slices.Index(c.header, "text")}
		if cols[3] >= 0 {
			g.Texts = map[string]string{}
		}
	} else if len(c.header) < 3 {
		return nil, fmt.Errorf("%w: %s:1: want a header with at least three columns: id, dimension, polarity", ErrGold, name)
	}
	err = c.each(func(line int, rec []string) {
		field := func(c int) string {
			if c < 0 || c >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[c])
		}
		id, aspect, pol := field(cols[0]), field(cols[1]), strings.ToLower(field(cols[2]))
		if id == "" {
			bad(line, "empty id")
			return
		}
		if _, ok := g.Labels[id]; !ok {
			g.Labels[id] = map[string]string{}
			g.IDs = append(g.IDs, id)
			if g.Texts != nil {
				g.Texts[id] = field(cols[3])
			}
		}
		if aspect == "" {
			return
		}
		if l := seen[[2]string{id, aspect}]; l > 0 {
			bad(line, "id %s: %q labelled twice (first at line %d)", id, aspect, l)
			return
		}
		seen[[2]string{id, aspect}] = line
		v, ok := polarityValue[pol]
		if !ok {
			bad(line, "id %s: polarity %q: want positive, neutral or negative", id, pol)
			return
		}
		dim := aspect
		if m != nil {
			if dim, ok = m.Targets[aspect]; !ok {
				g.Unmapped++
				return
			}
		} else if !slices.Contains(dims, dim) {
			bad(line, "dimension %q is not in the lexicon (rename it with --map)", dim)
			return
		}
		if dim == SentimentTarget {
			if g.Sentiment == nil {
				g.Sentiment = map[string]string{}
			}
			g.Sentiment[id] = pol
			return
		}
		key := [2]string{id, dim}
		if old, ok := g.Labels[id][dim]; ok && old != pol {
			g.Merged++
		}
		sums[key] += v
		g.Labels[id][dim] = pol
		named[dim] = true
	})
	if err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrGold, errors.Join(errs...))
	}
	for key, s := range sums { // several aspects in one dimension: the sign of their sum
		g.Labels[key[0]][key[1]] = signLabel(s)
	}
	for d := range named {
		g.Dimensions = append(g.Dimensions, d)
	}
	slices.Sort(g.Dimensions)
	return g, nil
}

var polarityValue = map[string]int{Positive: 1, Neutral: 0, Negative: -1}

func signLabel(s int) string {
	switch {
	case s > 0:
		return Positive
	case s < 0:
		return Negative
	}
	return Neutral
}

// csvFile reads a CSV with a header, a UTF-8 BOM accepted (Excel writes one).
type csvFile struct {
	cr     *csv.Reader
	name   string
	header []string // lower-cased, trimmed
}

func openCSV(r io.Reader, name string) (*csvFile, error) {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: %s: empty file (want a header)", ErrGold, name)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrGold, name, err)
	}
	for i := range header {
		header[i] = strings.ToLower(strings.TrimSpace(header[i]))
	}
	return &csvFile{cr: cr, name: name, header: header}, nil
}

// each calls f with every record and the line it starts on.
func (c *csvFile) each(f func(line int, rec []string)) error {
	for {
		rec, err := c.cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrGold, c.name, err)
		}
		line, _ := c.cr.FieldPos(0)
		f(line, rec)
	}
}
