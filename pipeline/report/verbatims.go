package report

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/pipeline"
)

// Verbatim is a real reason shown for a top dimension and polarity, with
// the matched term and cue to highlight.
type Verbatim struct {
	Top        string
	Polarity   string
	Group      string
	ResponseID string
	Text       string
	Term, Cue  string
}

// Verbatims chosen are informative but short: MinRunes to MaxRunes
// characters, shortest first (response ids break ties), each text once per
// top and polarity. The same run always gives the same verbatims.
const (
	MinRunes = 6
	MaxRunes = 80
)

type mentionRow struct {
	ResponseID string `parquet:"response_id"`
	Group      string `parquet:"group"`
	Top        string `parquet:"top"`
	Polarity   string `parquet:"polarity"`
	Term       string `parquet:"term"`
	Cue        string `parquet:"cue"`
}

type textRow struct {
	ResponseID string `parquet:"response_id"`
	Text       string `parquet:"text"`
}

// Verbatims picks up to k positive and k negative reasons per top
// dimension from dir's mentions and responses, in one pass over each:
// mentions are written in the order of responses, so they are joined as
// they stream. Tops are in first-mention order, negatives first.
func Verbatims(dir string, k int) ([]Verbatim, error) {
	ms, err := stream[mentionRow](filepath.Join(dir, "mentions.parquet"))
	if err != nil {
		return nil, err
	}
	defer ms.close()
	rs, err := stream[textRow](filepath.Join(dir, "responses.parquet"))
	if err != nil {
		return nil, err
	}
	defer rs.close()
	type key struct{ top, pol string }
	best := map[key][]Verbatim{}
	var order []key
	var resp textRow
	for {
		m, err := ms.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if m.Polarity != "positive" && m.Polarity != "negative" {
			continue
		}
		for resp.ResponseID != m.ResponseID {
			if resp, err = rs.next(); errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("%w: %s: mentions of %s are not in responses' order", pipeline.ErrInput, dir, m.ResponseID)
			} else if err != nil {
				return nil, err
			}
		}
		n := utf8.RuneCountInString(resp.Text)
		if n < MinRunes || n > MaxRunes {
			continue
		}
		kk := key{m.Top, m.Polarity}
		list, seen := best[kk]
		if !seen {
			order = append(order, kk)
		}
		if slices.ContainsFunc(list, func(v Verbatim) bool { return v.Text == resp.Text || v.ResponseID == resp.ResponseID }) {
			continue
		}
		list = append(list, Verbatim{Top: m.Top, Polarity: m.Polarity, Group: m.Group, ResponseID: resp.ResponseID, Text: resp.Text, Term: m.Term, Cue: m.Cue})
		slices.SortStableFunc(list, func(a, b Verbatim) int {
			return cmp.Or(cmp.Compare(utf8.RuneCountInString(a.Text), utf8.RuneCountInString(b.Text)), cmp.Compare(a.ResponseID, b.ResponseID))
		})
		best[kk] = list[:min(len(list), k)]
	}
	rank := map[string]int{} // tops in first-mention order
	for _, kk := range order {
		if _, ok := rank[kk.top]; !ok {
			rank[kk.top] = len(rank)
		}
	}
	slices.SortStableFunc(order, func(a, b key) int {
		return cmp.Or(cmp.Compare(rank[a.top], rank[b.top]), cmp.Compare(a.pol, b.pol)) // negative before positive
	})
	var out []Verbatim
	for _, kk := range order {
		out = append(out, best[kk]...)
	}
	return out, nil
}

// rows streams a Parquet file's rows of type T.
type rows[T any] struct {
	f   *os.File
	r   *parquet.GenericReader[T]
	buf []T
	i   int
}

func stream[T any](path string) (*rows[T], error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", pipeline.ErrInput, err)
	}
	return &rows[T]{f: f, r: parquet.NewGenericReader[T](f), buf: make([]T, 0, 1024)}, nil
}

func (s *rows[T]) next() (T, error) {
	var zero T
	if s.i == len(s.buf) {
		n, err := s.r.Read(s.buf[:cap(s.buf)])
		s.buf, s.i = s.buf[:n], 0
		if n == 0 {
			if err == nil || errors.Is(err, io.EOF) {
				return zero, io.EOF
			}
			return zero, fmt.Errorf("%w: reading %s: %w", pipeline.ErrInput, s.f.Name(), err)
		}
	}
	s.i++
	return s.buf[s.i-1], nil
}

func (s *rows[T]) close() {
	s.r.Close()
	s.f.Close()
}
