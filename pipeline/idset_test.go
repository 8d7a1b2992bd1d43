package pipeline

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
)

// TestIDSetSpills checks the set against a plain map, with a tiny memory
// capacity so that most ids live in run files on disk.
func TestIDSetSpills(t *testing.T) {
	s := newIDSet(100, "")
	truth := map[string]bool{}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 20000 {
		id := fmt.Sprintf("R%d", r.IntN(12000)) // many repeats, near and far apart
		if i%7 == 0 {
			id = fmt.Sprintf("R%d", i/2) // recent repeats
		}
		got, err := s.add(id)
		if err != nil {
			t.Fatal(err)
		}
		if got != !truth[id] {
			t.Fatalf("add(%q) = %v after %d ids, want %v", id, got, i, !truth[id])
		}
		truth[id] = true
	}
	if len(s.runs) < 50 {
		t.Errorf("%d runs: the test should spill", len(s.runs))
	}
	dir := s.dir
	s.close()
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("close left %s", dir)
	}
}
