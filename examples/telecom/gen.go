//go:build ignore

// gen writes responses.csv, the embedded example's synthetic telecom NPS
// survey (see package synth): 3,000 respondents with the blemishes real
// exports have. Run with: go generate ./examples/...
package main

import (
	"os"

	"github.com/vocmine/vocmine/examples/synth"
)

func main() {
	f, err := os.Create("responses.csv")
	if err != nil {
		panic(err)
	}
	if err := synth.Write(f, synth.Options{Rows: 3000, Seed: 2026, Blemishes: true}); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}
}
