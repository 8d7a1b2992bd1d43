package pipeline

import "hash/maphash"

// idSet remembers the ids seen in a run, to find duplicates. It keeps a
// 128-bit hash of each id instead of the id: 16 bytes an entry whatever the
// id's length, and no pointers for the garbage collector to scan. Two
// different ids share a hash with a probability of about n²/2¹²⁹ (below
// 10⁻²⁴ for 10 million ids), so a wrongly flagged duplicate is not a
// practical concern. Memory still grows with the number of distinct ids:
// about 20 bytes each.
type idSet struct {
	s1, s2 maphash.Seed
	m      map[[2]uint64]struct{}
}

func newIDSet() idSet {
	return idSet{s1: maphash.MakeSeed(), s2: maphash.MakeSeed(), m: map[[2]uint64]struct{}{}}
}

// add records id and reports whether it was new.
func (s idSet) add(id string) bool {
	k := [2]uint64{maphash.String(s.s1, id), maphash.String(s.s2, id)}
	if _, ok := s.m[k]; ok {
		return false
	}
	s.m[k] = struct{}{}
	return true
}
