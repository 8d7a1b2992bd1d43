package synth

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func generate(t *testing.T, o Options) [][]string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, o); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestUniqueAndDeterministic(t *testing.T) {
	rows := generate(t, Options{Rows: 20000, Seed: 5})
	if len(rows) != 20001 || len(rows[0]) != len(Header) {
		t.Fatalf("%d rows", len(rows))
	}
	seen := map[string]bool{}
	chars := 0
	for _, r := range rows[1:] {
		if seen[r[2]] {
			t.Fatalf("reason %q repeated with dup-rate 0", r[2])
		}
		seen[r[2]] = true
		chars += len([]rune(r[2]))
	}
	if avg := float64(chars) / 20000; avg < 12 || avg > 30 {
		t.Errorf("average reason length %.1f characters, want short reasons (~18)", avg)
	}
	again := generate(t, Options{Rows: 20000, Seed: 5})
	for i := range rows {
		if rows[i][2] != again[i][2] {
			t.Fatalf("row %d differs between two runs with the same seed", i)
		}
	}
}

func TestDupRate(t *testing.T) {
	rows := generate(t, Options{Rows: 20000, Seed: 5, DupRate: 0.5})
	seen := map[string]bool{}
	dups := 0
	for _, r := range rows[1:] {
		if seen[r[2]] {
			dups++
		}
		seen[r[2]] = true
	}
	if share := float64(dups) / 20000; share < 0.45 || share > 0.55 {
		t.Errorf("duplicate share %.2f, want about 0.5", share)
	}
}

func TestExampleBlemishes(t *testing.T) {
	rows := generate(t, Options{Rows: 3000, Seed: 2026, Blemishes: true})
	if len(rows) != 3006 || rows[101][1] != "11" || rows[601][7] != "测试" || rows[501][0] != "" {
		t.Errorf("blemishes missing: %d rows", len(rows))
	}
}

// Gold labels name, for each reason, the aspects whose phrases it holds,
// with their polarity; writing them leaves the survey's bytes unchanged.
func TestGold(t *testing.T) {
	for _, o := range []Options{{Rows: 3000, Seed: 2026, Blemishes: true}, {Rows: 5000, Seed: 9, DupRate: 0.3}} {
		var survey, gold bytes.Buffer
		o.Gold = &gold
		if err := Write(&survey, o); err != nil {
			t.Fatal(err)
		}
		var plain bytes.Buffer
		o.Gold = nil
		if err := Write(&plain, o); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(survey.Bytes(), plain.Bytes()) {
			t.Fatalf("%+v: the survey differs with gold labels written", o)
		}
		rows, err := csv.NewReader(&survey).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		text := map[string]string{}
		for _, r := range rows[1:] {
			text[r[0]] = r[2]
		}
		labels, err := csv.NewReader(&gold).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(labels) < o.Rows/2 {
			t.Fatalf("%d labels for %d rows", len(labels)-1, o.Rows)
		}
		byDim := map[string]aspect{}
		for _, a := range aspects {
			byDim[a.dim] = a
		}
		for _, l := range labels[1:] {
			if _, ok := text[l[0]]; !ok && o.Blemishes {
				continue // the row whose id a blemish blanked
			}
			a, ok := byDim[l[1]]
			phrases := map[string][]string{"positive": a.pos, "negative": a.neg}[l[2]]
			found := false
			for _, p := range phrases {
				found = found || strings.Contains(text[l[0]], p)
			}
			if !ok || !found {
				t.Errorf("label %v: reason %q holds no %s phrase of %s", l, text[l[0]], l[2], l[1])
			}
		}
	}
}
