// Command gendict writes tagger/dict/zh_s_small.txt from gse's simplified
// Chinese dictionary (data/dict/zh/s_1.txt of the gse version in go.mod):
// every single character, and every longer word whose frequency is at least
// minFreq. Run it with `go generate ./tagger` after upgrading gse; a test
// fails while the committed file is out of step. docs/BENCHMARKS.md
// ("Which dictionary") has the measurements behind the threshold.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/vocmine/vocmine/tagger/internal/smalldict"
)

func main() {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		fail(fmt.Errorf("finding gse's module: %w", err))
	}
	full, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "data", "dict", "zh", "s_1.txt"))
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(filepath.Join("dict", "zh_s_small.txt"), smalldict.Filter(full), 0o644); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gendict:", err)
	os.Exit(1)
}
