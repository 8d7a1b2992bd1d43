package synth

import (
	"bytes"
	"encoding/csv"
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
