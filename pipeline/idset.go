package pipeline

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"slices"
)

// idSet remembers the ids seen in a run, to find duplicates, in memory that
// does not grow with the input. It keeps a 128-bit hash of each id instead of
// the id (two different ids share a hash with a probability of about n²/2¹²⁹,
// below 10⁻²⁴ for 10 million ids). Up to memCap hashes live in a map; when it
// is full they are sorted and written to a run file on disk, with a Bloom
// filter (16 bits a hash: ~0.05% false positives) kept in memory, and the map
// starts again. A new id is looked up in the map, then, only where a run's
// filter says it may be there, by binary search in that run's file. Memory is
// the map (≤ memCap entries) plus 2 bytes per spilled id.
type idSet struct {
	s1, s2 maphash.Seed
	memCap int
	m      map[idKey]struct{}
	dir    string // temporary folder of the runs; "" until the first spill
	// parent is where that folder is made: the job's temporary folder,
	// which the next run of the partition removes if this one is killed;
	// "" for os.TempDir().
	parent string
	runs   []*idRun
}

type idKey [2]uint64

// defaultIDMemCap keeps the map near 32 MB.
const defaultIDMemCap = 1 << 20

type idRun struct {
	f     *os.File
	n     int64
	bloom []uint64
}

// newIDSet holds up to memCap hashes in memory and spills the rest into a
// folder made in parent ("" for os.TempDir()).
func newIDSet(memCap int, parent string) *idSet {
	return &idSet{s1: maphash.MakeSeed(), s2: maphash.MakeSeed(), memCap: memCap, parent: parent, m: map[idKey]struct{}{}}
}

// add records id and reports whether it was new.
func (s *idSet) add(id string) (bool, error) {
	k := idKey{maphash.String(s.s1, id), maphash.String(s.s2, id)}
	if _, ok := s.m[k]; ok {
		return false, nil
	}
	for _, r := range s.runs {
		if !r.mayHave(k) {
			continue
		}
		found, err := r.has(k)
		if err != nil {
			return false, fmt.Errorf("looking up duplicate ids: %w", err)
		}
		if found {
			return false, nil
		}
	}
	s.m[k] = struct{}{}
	if len(s.m) >= s.memCap {
		if err := s.spill(); err != nil {
			return false, fmt.Errorf("spilling duplicate ids to disk: %w", err)
		}
	}
	return true, nil
}

// spill writes the map's hashes, sorted, to a new run file.
func (s *idSet) spill() error {
	if s.dir == "" {
		dir, err := os.MkdirTemp(s.parent, "vocmine-ids-")
		if err != nil {
			return err
		}
		s.dir = dir
	}
	keys := make([]idKey, 0, len(s.m))
	for k := range s.m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareKeys)
	f, err := os.CreateTemp(s.dir, "run-")
	if err != nil {
		return err
	}
	buf := make([]byte, 16*len(keys))
	r := &idRun{f: f, n: int64(len(keys)), bloom: make([]uint64, (16*len(keys)+63)/64)}
	for i, k := range keys {
		binary.LittleEndian.PutUint64(buf[16*i:], k[0])
		binary.LittleEndian.PutUint64(buf[16*i+8:], k[1])
		r.add(k)
	}
	if _, err := f.Write(buf); err != nil {
		return err
	}
	s.runs = append(s.runs, r)
	clear(s.m)
	return nil
}

// close removes the run files.
func (s *idSet) close() {
	for _, r := range s.runs {
		r.f.Close()
	}
	if s.dir != "" {
		os.RemoveAll(s.dir)
	}
}

func compareKeys(a, b idKey) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }

// bloomHashes is the number of filter bits set per key: optimal for 16 bits
// per key is 11.
const bloomHashes = 11

func (r *idRun) add(k idKey) {
	m := uint64(len(r.bloom) * 64)
	for i := range uint64(bloomHashes) {
		b := (k[0] + i*(k[1]|1)) % m
		r.bloom[b/64] |= 1 << (b % 64)
	}
}

func (r *idRun) mayHave(k idKey) bool {
	m := uint64(len(r.bloom) * 64)
	for i := range uint64(bloomHashes) {
		b := (k[0] + i*(k[1]|1)) % m
		if r.bloom[b/64]&(1<<(b%64)) == 0 {
			return false
		}
	}
	return true
}

// has binary-searches the run file.
func (r *idRun) has(k idKey) (bool, error) {
	var b [16]byte
	lo, hi := int64(0), r.n
	for lo < hi {
		mid := (lo + hi) / 2
		if _, err := r.f.ReadAt(b[:], 16*mid); err != nil && err != io.EOF {
			return false, err
		}
		switch compareKeys(idKey{binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])}, k) {
		case 0:
			return true, nil
		case -1:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return false, nil
}
