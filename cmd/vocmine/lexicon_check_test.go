package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestLexiconCheckOnePass: `lexicon check` on a file with a load error still
// runs the checks across files and those of the segmenter, and reports a
// word under terms and a polarity list of one dimension as a warning.
// Regenerate: go test ./cmd/vocmine -run LexiconCheckOnePass -update
func TestLexiconCheckOnePass(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "lexicon", "onepass")
	var stdout, stderr bytes.Buffer
	ctx := context.Background()
	code := exitCode(ctx, run(ctx, []string{"lexicon", "check", "--config", filepath.Join(dir, "config.yaml")}, &stdout, &stderr), &stderr)
	got := strings.ReplaceAll(stdout.String(), dir+string(filepath.Separator), "")
	for _, want := range []string{
		`restaurant.yaml:4: warning: dimension "服务": term "热情" is also under positive_terms (line 5): the polarity list wins`,
		`restaurant.yaml:10: error: dimension "环境": term "雅致" is under negative_terms and under positive_terms (line 9)`,
		`restaurant.yaml:13: error: unknown key "negativ_terms"`,
		`extra.yaml:4: warning: dimension "服务": term "冷淡" is plain here and negative at restaurant.yaml:6: the polarity list wins`,
		`extra.yaml:6: warning: dimension "口味": term "味道" is positive here and plain at restaurant.yaml:12: the polarity list wins`,
		`extra.yaml:7: error: dimension "口味": "咸" is a negative term here but a positive sentiment word at extra.yaml:9`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	checkExpected(t, filepath.Join(dir, "expected.txt"), fmt.Sprintf("exit %d\n%s", code, got))
}
