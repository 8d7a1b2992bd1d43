package lextool

import (
	"cmp"
	"encoding/csv"
	"io"
	"math/rand/v2"
	"slices"
)

// Untagged names the stratum of the reasons the lexicon does not tag.
const Untagged = "(untagged)"

// Stratum is one dimension's (or the untagged reasons') part of a sample.
type Stratum struct {
	Name     string `json:"name"`      // a dimension, or Untagged
	Reasons  int    `json:"reasons"`   // candidates holding it
	Drawn    int    `json:"drawn"`     // drawn on its turn
	InSample int    `json:"in_sample"` // reasons of the sample holding it (a reason with two tags counts for both)
}

// Sample draws up to n of the tagged reviews for hand labelling, the same
// draw for the same seed and input. Candidates are the reviews with text
// (not empty, not junk), each distinct normalized text and id once.
//
// Allocation: the untagged reasons (where missed mentions hide) are drawn
// first, up to a fifth of n (rounded up). The rest goes round-robin over
// the dimensions that tag something, rarest first: each turn draws one
// reason holding the dimension that is not drawn yet, so each of S
// dimensions gets about (n - untagged)/S, one with fewer reasons gives all
// it has and its turns go to the others. When every dimension is used up,
// the untagged reasons take the rest. Within each stratum the score groups
// take turns (in name order), so a rare group is not crowded out, and the
// reasons of a group come in a random order fixed by the seed.
func Sample(reviews []Review, n int, seed uint64) ([]Review, []Stratum) {
	var cands []int
	seenText, seenID := map[string]bool{}, map[string]bool{}
	for i, r := range reviews {
		if r.Result.Empty || r.Result.Junk || seenText[r.Result.Text] || seenID[r.ID] {
			continue
		}
		seenText[r.Result.Text], seenID[r.ID] = true, true
		cands = append(cands, i)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d))
	rng.Shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] })

	// The strata's members, in shuffled order, then interleaved by group.
	members := map[string][]int{}
	for _, i := range cands {
		tags := reviews[i].Result.Tags
		if len(tags) == 0 {
			members[Untagged] = append(members[Untagged], i)
		}
		for _, t := range tags {
			members[t.Dimension] = append(members[t.Dimension], i)
		}
	}
	var dims []string
	for name, m := range members {
		members[name] = interleave(reviews, m)
		if name != Untagged {
			dims = append(dims, name)
		}
	}
	slices.SortFunc(dims, func(a, b string) int { return cmp.Or(cmp.Compare(len(members[a]), len(members[b])), cmp.Compare(a, b)) })

	picked := map[int]bool{}
	var out []int
	drawn := map[string]int{}
	cursor := map[string]int{}
	// draw takes the stratum's next reason not drawn yet; false when none is left.
	draw := func(name string) bool {
		m := members[name]
		for cursor[name] < len(m) {
			i := m[cursor[name]]
			cursor[name]++
			if !picked[i] {
				picked[i] = true
				out = append(out, i)
				drawn[name]++
				return true
			}
		}
		return false
	}
	for len(out) < (n+4)/5 {
		if !draw(Untagged) {
			break
		}
	}
	for len(out) < n {
		progress := false
		for _, d := range dims {
			if len(out) < n && draw(d) {
				progress = true
			}
		}
		if !progress {
			break
		}
	}
	for len(out) < n {
		if !draw(Untagged) {
			break
		}
	}

	sample := make([]Review, len(out))
	inSample := map[string]int{}
	for k, i := range out {
		sample[k] = reviews[i]
		if len(reviews[i].Result.Tags) == 0 {
			inSample[Untagged]++
		}
		for _, t := range reviews[i].Result.Tags {
			inSample[t.Dimension]++
		}
	}
	var strata []Stratum
	for _, name := range append(dims, Untagged) {
		if len(members[name]) > 0 {
			strata = append(strata, Stratum{Name: name, Reasons: len(members[name]), Drawn: drawn[name], InSample: inSample[name]})
		}
	}
	return sample, strata
}

// interleave reorders a stratum's members so that the score groups take
// turns, groups in name order, each group's members in their given order.
func interleave(reviews []Review, m []int) []int {
	byGroup := map[string][]int{}
	var groups []string
	for _, i := range m {
		g := reviews[i].Group
		if _, ok := byGroup[g]; !ok {
			groups = append(groups, g)
		}
		byGroup[g] = append(byGroup[g], i)
	}
	slices.Sort(groups)
	out := make([]int, 0, len(m))
	for k := 0; len(out) < len(m); k++ {
		for _, g := range groups {
			if k < len(byGroup[g]) {
				out = append(out, byGroup[g][k])
			}
		}
	}
	return out
}

// WriteSample writes a sample as the CSV a person corrects (UTF-8 with a
// BOM, for Excel): id, group, text, dimension, polarity; one row per tag
// of the current lexicon, one with an empty dimension for a reason without
// tags. ReadGold reads it back.
func WriteSample(w io.Writer, sample []Review) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "group", "text", "dimension", "polarity"})
	for _, r := range sample {
		if len(r.Result.Tags) == 0 {
			cw.Write([]string{r.ID, r.Group, r.Text, "", ""})
		}
		for _, t := range r.Result.Tags {
			cw.Write([]string{r.ID, r.Group, r.Text, t.Dimension, t.Polarity.String()})
		}
	}
	cw.Flush()
	return cw.Error()
}
