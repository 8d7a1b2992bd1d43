// Command gsealone times gse segmentation alone on a survey's reasons, the
// floor vocmine's pipeline is compared with: the text is read into memory
// first, the segmenter is loaded as the tagger's is (tagger.NewSegmenter:
// same dictionary, same lexicon words), it segments in Segment mode, and all
// cores segment, as vocmine's workers do.
// Usage: go run ./bench/gsealone FILE.csv LEXICON.yaml
package main

import (
	"encoding/csv"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/tagger"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		panic(err)
	}
	texts := make([]string, 0, len(rows))
	for _, r := range rows[1:] {
		texts = append(texts, r[2])
	}
	t0 := time.Now()
	lex, err := lexicon.LoadFiles(true, os.Args[2])
	if err != nil {
		panic(err)
	}
	seg, err := tagger.NewSegmenter(tagger.Config{}, lex) // gse's load ends with CalcToken: count it
	if err != nil {
		panic(err)
	}
	load := time.Since(t0)
	workers := runtime.GOMAXPROCS(0)
	t1 := time.Now()
	var wg sync.WaitGroup
	share := (len(texts) + workers - 1) / workers
	for lo := 0; lo < len(texts); lo += share {
		part := texts[lo:min(lo+share, len(texts))]
		wg.Go(func() {
			for _, s := range part {
				seg.Segment([]byte(lexicon.Normalize(s)))
			}
		})
	}
	wg.Wait()
	d := time.Since(t1)
	fmt.Printf("gse-alone: %d reasons, load %.2fs, segment %.2fs, %.0f reasons/s, %d goroutines\n", len(texts), load.Seconds(), d.Seconds(), float64(len(texts))/d.Seconds(), workers)
}
