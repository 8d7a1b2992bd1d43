//go:build ignore

// Export writes one part of the AI Challenger 2018 restaurant reviews
// (../shared/data/aic2018 beside the repository) in the shape of a
// restaurant review export, review_id,star,review, for
// examples/dianping/config.yaml, and the part's gold labels
// (review_id,aspect,polarity) for `vocmine lexicon eval`:
//
//	go run examples/dianping/export.go -data ../shared/data/aic2018 -part train \
//	    -out /tmp/dp-train.csv -gold /tmp/dp-train-gold.csv
//
// aic2018 has no star ratings: the star is derived from the review's
// others_overall_experience label (positive 5, neutral 3, negative 1, absent
// 3), so that the export has a score column as a real one would. The data is
// for research use only: the script reads it and writes outside the
// repository; nothing of it is committed.
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "export:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	data := fs.String("data", "../shared/data/aic2018", "folder holding reviews.csv and labels.csv")
	part := fs.String("part", "train", "part to export: train or dev")
	out := fs.String("out", "", "review export to write (review_id,star,review)")
	gold := fs.String("gold", "", "gold labels to write (review_id,aspect,polarity); empty: none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("-out is required")
	}
	reviews, err := readCSV(*data+"/reviews.csv", "review_id", "part", "review")
	if err != nil {
		return err
	}
	labels, err := readCSV(*data+"/labels.csv", "review_id", "aspect", "polarity")
	if err != nil {
		return err
	}
	inPart := map[string]bool{}
	for _, r := range reviews {
		if r[1] == *part {
			inPart[r[0]] = true
		}
	}
	if len(inPart) == 0 {
		return fmt.Errorf("no review in part %q", *part)
	}
	overall := map[string]string{}
	var goldRows [][]string
	for _, l := range labels {
		if !inPart[l[0]] {
			continue
		}
		if l[1] == "others_overall_experience" {
			overall[l[0]] = l[2]
		}
		goldRows = append(goldRows, l)
	}
	var rows [][]string
	for _, r := range reviews {
		if inPart[r[0]] {
			rows = append(rows, []string{r[0], star(overall[r[0]]), r[2]})
		}
	}
	if err := writeCSV(*out, []string{"review_id", "star", "review"}, rows); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "export: %s: %d reviews of part %s\n", *out, len(rows), *part)
	if *gold != "" {
		if err := writeCSV(*gold, []string{"review_id", "aspect", "polarity"}, goldRows); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "export: %s: %d labels\n", *gold, len(goldRows))
	}
	return nil
}

// star derives a 1-5 rating from others_overall_experience: aic2018 has none.
func star(overall string) string {
	switch overall {
	case "positive":
		return "5"
	case "negative":
		return "1"
	default: // neutral, or no overall label
		return "3"
	}
}

// readCSV reads a file whose header starts with the given columns and
// returns those columns of every row.
func readCSV(path string, cols ...string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	idx := make([]int, len(cols))
	for i, c := range cols {
		idx[i] = -1
		for j, h := range head {
			if h == c {
				idx[i] = j
			}
		}
		if idx[i] < 0 {
			return nil, fmt.Errorf("%s: no column %q", path, c)
		}
	}
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		row := make([]string, len(cols))
		for i, j := range idx {
			row[i] = rec[j]
		}
		rows = append(rows, row)
	}
}

func writeCSV(path string, head []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write(head)
	w.WriteAll(rows) // flushes
	if err := w.Error(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
