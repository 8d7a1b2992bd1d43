package tagger

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/tagger/internal/smalldict"
)

// The committed small dictionary must be what gendict makes from the gse
// version in go.mod: upgrading gse without `go generate ./tagger` fails here.
func TestSmallDictInStep(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	full, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "data", "dict", "zh", "s_1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got := string(smalldict.Filter(full)); got != smallDict {
		t.Fatalf("tagger/dict/zh_s_small.txt is not gse's dictionary filtered (%d vs %d bytes): run go generate ./tagger", len(smallDict), len(got))
	}
}

func TestFilter(t *testing.T) {
	in := "好 1 a\n查话费 3 v\n信号 120 n\n慢点 2\nbad line\n话费 x n\n网速慢 4 a\r\n"
	want := "好 1 a\n信号 120 n\n慢点 2\n网速慢 4 a\n"
	if got := string(smalldict.Filter([]byte(in))); got != want {
		t.Fatalf("Filter:\n%q\nwant\n%q", got, want)
	}
}
