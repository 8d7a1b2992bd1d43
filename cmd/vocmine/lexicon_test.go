package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the expected.txt files of testdata/lexicon")

// TestLexiconCheck runs `vocmine lexicon check` on the fixtures under
// testdata/lexicon and compares the report and exit code with expected.txt
// (first line: the exit code). Regenerate: go test ./cmd/vocmine -run LexiconCheck -update
func TestLexiconCheck(t *testing.T) {
	for _, name := range []string{"check", "broken"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join("..", "..", "testdata", "lexicon", name)
			var stdout, stderr bytes.Buffer
			ctx := context.Background()
			code := exitCode(ctx, run(ctx, []string{"lexicon", "check", "--config", filepath.Join(dir, "config.yaml")}, &stdout, &stderr), &stderr)
			got := strings.ReplaceAll(stdout.String(), dir+string(filepath.Separator), "")
			got = strings.Join([]string{fmt.Sprintf("exit %d", code), got}, "\n")
			checkExpected(t, filepath.Join(dir, "expected.txt"), got)
		})
	}
}

// checkExpected compares got with the file at path, or rewrites it with -update.
func checkExpected(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
