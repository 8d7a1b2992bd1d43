package main

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/examples"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/table"
)

// digestCase is one survey whose outputs TestOutputDigests holds.
type digestCase struct {
	name string
	// setup writes the case's inputs into dir; extra names the digests of
	// what it wrote that are outputs too.
	setup func(t *testing.T, dir string) (extra map[string]string)
	// args is the run's command line, with in the case's folder and out the
	// output folder as seen from the working directory.
	args func(in, out string) []string
}

const digestDate = "2026-11-01"

var digestCases = []digestCase{
	{
		name:  "example",
		setup: func(*testing.T, string) map[string]string { return nil },
		args: func(_, out string) []string {
			return []string{"run", "--out", out, "--date", digestDate}
		},
	},
	{
		// The example's config beside the generated file, so that
		// responses.parquet's source_file is "survey.csv" wherever the
		// folder is: a file outside the config's folder is recorded as given.
		name: "gen200k",
		setup: func(t *testing.T, dir string) map[string]string {
			for _, name := range []string{"config.yaml", "lexicon.yaml"} {
				data, err := examples.FS.ReadFile("telecom/" + name)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			mustRunIn(t, dir, "gen", "--rows", "200000", "--seed", "7", "--out", "survey.csv")
			data, err := os.ReadFile(filepath.Join(dir, "survey.csv"))
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{"survey.csv (vocmine gen)": fmt.Sprintf("%x", sha256.Sum256(data))}
		},
		args: func(in, out string) []string {
			return []string{"run", "--config", filepath.Join(in, "config.yaml"), "--input", filepath.Join(in, "survey.csv"),
				"--out", out, "--date", digestDate}
		},
	},
}

// TestOutputDigests holds every output of `vocmine run` byte for byte (issue
// 17: refactoring must not change them): the sha256 of each file of the
// published partition, on the embedded example and on a 200,000-row
// generated survey, against testdata/digests/<case>.txt (a table is named
// <table>.parquet there, wherever the layout puts it). manifest.json is
// held without its times, versions and this machine's paths (manifestDigest).
// Each case runs twice, from different working directories into different
// folders with different TMPDIRs, so that an output depending on paths, map
// order or scheduling fails as such rather than as a change.
//
// Regenerate: go test ./cmd/vocmine -run TestOutputDigests -update
func TestOutputDigests(t *testing.T) {
	for _, c := range digestCases {
		t.Run(c.name, func(t *testing.T) {
			if testing.Short() && c.name != "example" {
				t.Skip("a 200k-row survey run twice: slow; run without -short")
			}
			dir, other := t.TempDir(), t.TempDir()
			extra := c.setup(t, dir)

			mustRunIn(t, dir, c.args(".", "out")...)
			got := partitionDigests(t, filepath.Join(dir, "out", "_runs", "run_date="+digestDate))
			tmp := filepath.Join(other, "tmp")
			if err := os.Mkdir(tmp, 0o755); err != nil {
				t.Fatal(err)
			}
			second := filepath.Join(other, "another", "out")
			t.Setenv("TMPDIR", tmp) // where the embedded example is unpacked
			mustRunIn(t, other, c.args(dir, second)...)
			again := partitionDigests(t, filepath.Join(second, "_runs", "run_date="+digestDate))
			if diff := diffDigests(again, got); len(diff) > 0 {
				t.Fatalf("two runs of the same input differ (other folders, working directory, TMPDIR): "+
					"an output depends on the machine or the run, not on the input; find out why (paths, map order, times):\n  %s",
					strings.Join(diff, "\n  "))
			}
			for name, sum := range extra {
				got[name] = sum
			}

			path := filepath.Join("..", "..", "testdata", "digests", c.name+".txt")
			if *update {
				if err := os.WriteFile(path, []byte(formatDigests(got)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./cmd/vocmine -run TestOutputDigests -update)", err)
			}
			want, err := parseDigests(string(data))
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if diff := diffDigests(got, want); len(diff) > 0 {
				t.Errorf("outputs differ from %s:\n  %s\n"+
					"A change of digests is a change of outputs. If it is intended, review it (decode the tables, "+
					"compare them with a build of the previous commit), update with\n"+
					"  go test ./cmd/vocmine -run TestOutputDigests -update\n"+
					"and say in the commit which outputs change and why.",
					path, strings.Join(diff, "\n  "))
			}
		})
	}
}

// mustRunIn runs the binary in the working folder wd (runIn) and fails the
// test unless it exits 0.
func mustRunIn(t *testing.T, wd string, args ...string) {
	t.Helper()
	if r := runIn(t, wd, args...); r.code != 0 {
		t.Fatalf("vocmine %s: exit %d\n%s", strings.Join(args, " "), r.code, r.stderr)
	}
}

// partitionDigests returns the sha256 of each file of the partition folder,
// by name; manifest.json's is manifestDigest's.
func partitionDigests(t *testing.T, part string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(part)
	if err != nil {
		t.Fatal(err)
	}
	sums := make(map[string]string)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(part, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == "manifest.json" {
			sums["manifest.json (stable fields)"] = manifestDigest(t, data)
			continue
		}
		sums[e.Name()] = fmt.Sprintf("%x", sha256.Sum256(data))
	}
	// The tables, each <output.dir>/<table>/<partition>/part-00000.parquet,
	// under the names they had when the run folder held them: the digests
	// of the contents did not change with the layout.
	tables, _ := filepath.Glob(filepath.Join(partition.OutputDir(part), "[^._]*", filepath.Base(part)))
	for _, dir := range tables {
		files, _ := os.ReadDir(dir)
		if len(files) != 1 || files[0].Name() != table.PartFile {
			t.Fatalf("%s holds %v, want only %s", dir, files, table.PartFile)
		}
		data, err := os.ReadFile(filepath.Join(dir, table.PartFile))
		if err != nil {
			t.Fatal(err)
		}
		sums[filepath.Base(filepath.Dir(dir))+".parquet"] = fmt.Sprintf("%x", sha256.Sum256(data))
	}
	return sums
}

// manifestDigest hashes manifest.json without what depends on the moment or
// the machine: times, versions, the config as resolved here (absolute
// paths), stage timings, the tag cache's hits and misses (workers race to
// fill it) and the lexicons' paths. Counts, tables, score and the inputs'
// and lexicons' digests stay held.
func manifestDigest(t *testing.T, data []byte) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	for _, k := range []string{"started_at", "finished_at", "vocmine_version", "go_version", "config", "stage_seconds", "tag_cache"} {
		delete(m, k)
	}
	lexicons, _ := m["lexicons"].([]any)
	for _, l := range lexicons {
		if l, ok := l.(map[string]any); ok {
			delete(l, "path")
		}
	}
	stable, err := json.Marshal(m) // map keys sorted
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", sha256.Sum256(stable))
}

// formatDigests writes one line per file, `sha256  name`, in name order.
func formatDigests(sums map[string]string) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		fmt.Fprintf(&b, "%s  %s\n", sums[name], name)
	}
	return b.String()
}

func parseDigests(s string) (map[string]string, error) {
	sums := make(map[string]string)
	for i, line := range strings.Split(strings.TrimSpace(s), "\n") {
		sum, name, ok := strings.Cut(line, "  ")
		if !ok || len(sum) != 64 || name == "" {
			return nil, fmt.Errorf("line %d: %q: want \"sha256  name\"", i+1, line)
		}
		sums[name] = sum
	}
	return sums, nil
}

// diffDigests names each file whose digest in got is not the one in want,
// in name order.
func diffDigests(got, want map[string]string) []string {
	var diff []string
	for _, name := range slices.Sorted(maps.Keys(got)) {
		switch w, ok := want[name]; {
		case !ok:
			diff = append(diff, name+": new (not in the digests)")
		case w != got[name]:
			diff = append(diff, fmt.Sprintf("%s: sha256 %s, want %s", name, got[name], w))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[name]; !ok {
			diff = append(diff, name+": missing (in the digests, not written)")
		}
	}
	return diff
}
