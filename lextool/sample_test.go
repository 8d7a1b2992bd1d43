package lextool

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/tagger"
)

// sampleInput is 1,000 reviews: dimension D0 tags 1 of them, D1 3, D2 10,
// D3 30, D4 300 (some with D3 as well), 400 tag nothing, 20 are junk, 20
// repeat another's text; groups g1 (one review in ten) and g2.
func sampleInput() []Review {
	var rs []Review
	add := func(text string, junk bool, dims ...string) {
		i := len(rs)
		r := Review{ID: fmt.Sprintf("R%04d", i), Group: "g2", Text: text}
		if i%10 == 0 {
			r.Group = "g1"
		}
		r.Result = tagger.Result{Text: text, Junk: junk}
		for _, d := range dims {
			r.Result.Tags = append(r.Result.Tags, tagger.Tag{Dimension: d, Polarity: tagger.Negative})
		}
		rs = append(rs, r)
	}
	for i, n := range []int{1, 3, 10, 30} {
		for k := range n {
			add(fmt.Sprintf("d%d-%d", i, k), false, fmt.Sprint("D", i))
		}
	}
	for k := range 300 {
		if k%10 == 0 {
			add(fmt.Sprint("d4-", k), false, "D4", "D3")
		} else {
			add(fmt.Sprint("d4-", k), false, "D4")
		}
	}
	for k := range 400 {
		add(fmt.Sprint("none-", k), false)
	}
	for range 20 {
		add("无", true)
	}
	for k := range 20 {
		add(fmt.Sprint("none-", k), false) // a repeated text
	}
	for len(rs) < 1000 {
		add(fmt.Sprint("none-more-", len(rs)), false)
	}
	return rs
}

func TestSample(t *testing.T) {
	in := sampleInput()
	cases := []struct {
		name string
		n    int
		// want: reasons drawn; the untagged drawn; per dimension at least
		want, untagged, atLeast int
	}{
		{"small", 30, 30, 6, 1},
		{"enough for every dimension", 60, 60, 12, 1},
		{"more than the rare ones have", 200, 200, 40, 3},
		{"everything", 5000, 960, 5000, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, strata := Sample(in, c.n, 7)
			if len(s) != c.want {
				t.Fatalf("drew %d, want %d", len(s), c.want)
			}
			ids := map[string]bool{}
			count := map[string]int{}
			for _, r := range s {
				if ids[r.ID] || r.Result.Junk || strings.HasPrefix(r.Text, "none-") && r.ID >= "R0764" && r.ID <= "R0783" {
					t.Errorf("%s drawn: junk, a repeated text or twice", r.ID)
				}
				ids[r.ID] = true
				if len(r.Result.Tags) == 0 {
					count[Untagged]++
				}
				for _, tg := range r.Result.Tags {
					count[tg.Dimension]++
				}
			}
			if c.untagged < 5000 && count[Untagged] != c.untagged {
				t.Errorf("untagged drawn %d, want %d (a fifth)", count[Untagged], c.untagged)
			}
			for i, size := range []int{1, 3, 10, 30, 300} {
				d := fmt.Sprint("D", i)
				if want := min(size, c.atLeast); count[d] < want {
					t.Errorf("%s: %d in the sample, want at least %d", d, count[d], want)
				}
			}
			for _, st := range strata {
				if st.InSample != count[st.Name] {
					t.Errorf("stratum %s: in_sample %d, counted %d", st.Name, st.InSample, count[st.Name])
				}
			}
			if again, _ := Sample(in, c.n, 7); !reflect.DeepEqual(s, again) {
				t.Error("the same seed drew another sample")
			}
		})
	}
	a, _ := Sample(in, 60, 1)
	b, _ := Sample(in, 60, 2)
	if reflect.DeepEqual(a, b) {
		t.Error("seeds 1 and 2 drew the same sample")
	}
}

// TestSampleGroups: within a stratum the groups take turns, so the group of
// one review in ten gets half of a small draw.
func TestSampleGroups(t *testing.T) {
	var in []Review
	for i := range 100 {
		r := Review{ID: fmt.Sprint("R", i), Group: "big", Text: fmt.Sprint(i)}
		if i%10 == 0 {
			r.Group = "small"
		}
		r.Result = tagger.Result{Text: r.Text, Tags: []tagger.Tag{{Dimension: "D"}}}
		in = append(in, r)
	}
	s, _ := Sample(in, 10, 1)
	n := 0
	for _, r := range s {
		if r.Group == "small" {
			n++
		}
	}
	if len(s) != 10 || n != 5 {
		t.Errorf("drew %d, %d of the small group; want 10 and 5", len(s), n)
	}
}

// TestSampleRoundTrip: a sample written and read back unchanged as gold
// scores F1 = 1 on the same tags, and deleting a row lowers the recall.
func TestSampleRoundTrip(t *testing.T) {
	in := sampleInput()
	s, _ := Sample(in, 50, 3)
	var buf bytes.Buffer
	if err := WriteSample(&buf, s); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\uFEFFid,group,text,dimension,polarity\n") {
		t.Fatalf("header: %q", buf.String()[:40])
	}
	dims := []string{"D0", "D1", "D2", "D3", "D4"}
	g, err := ReadGold(bytes.NewReader(buf.Bytes()), "sample.csv", nil, dims)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.IDs) != 50 || !g.HasText() || g.Texts[s[0].ID] != s[0].Text {
		t.Fatalf("read back %d ids, text %q", len(g.IDs), g.Texts[s[0].ID])
	}
	o := Options{Dimensions: ScoredDimensions(g, nil, dims), LabelledOnly: true, Resamples: 50}
	rep := Evaluate(in, g, o)
	if rep.Reviews != 50 || rep.Unlabelled != len(in)-50-rep.DuplicateIDs || !rep.Micro.Pair.F1.OK || rep.Micro.Pair.F1.Value != 1 {
		t.Errorf("unchanged sample: reviews %d, unlabelled %d, micro pair F1 %+v; want 50 and 1", rep.Reviews, rep.Unlabelled, rep.Micro.Pair.F1)
	}
	// The person says one D4 tag is wrong: the row's dimension blanked.
	corrected := strings.Replace(buf.String(), ",D4,negative\n", ",,\n", 1)
	dropped := corrected != buf.String()
	g, err = ReadGold(strings.NewReader(corrected), "sample.csv", nil, dims)
	if err != nil {
		t.Fatal(err)
	}
	rep = Evaluate(in, g, o)
	if p := rep.Micro.Pair.Precision; !dropped || p.Value >= 1 || rep.Micro.Pair.Recall.Value != 1 {
		t.Errorf("one D4 row deleted: precision %+v recall %+v; want precision below 1, recall 1", p, rep.Micro.Pair.Recall)
	}
}
