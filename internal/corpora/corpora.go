// Package corpora reads the shared whole-review corpora (../shared/data
// beside the repository: waimai, hotel and shopping reviews labelled
// positive or negative) and splits them as issue 14 does: the held-out part
// is every fifth data row (rows 5, 10, 15, ... after the header), the rest is
// the train part. Nothing built from the corpora may read the held-out part;
// only measurements do.
package corpora

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Corpus names one file of the shared data.
type Corpus struct {
	Name string // short name: waimai, hotel, shopping
	File string // file name in the data folder
}

// All are the three whole-review corpora, in the order they are reported.
var All = []Corpus{
	{"waimai", "waimai_10k.csv"},                // food delivery, label,review
	{"hotel", "ChnSentiCorp_htl_all.csv"},       // hotels, label,review
	{"shopping", "online_shopping_10_cats.zip"}, // e-commerce, cat,label,review in one CSV
}

// Review is one labelled data row.
type Review struct {
	Row      int  // 1 for the first data row after the header
	Positive bool // label 1
	Text     string
}

// HeldOut reports whether data row n belongs to the held-out part.
func HeldOut(row int) bool { return row%5 == 0 }

// Dir is where the corpora are: $VOCMINE_BENCH_DATA, else rel (a path to
// ../shared/data from the caller's working directory).
func Dir(rel string) string {
	if d := os.Getenv("VOCMINE_BENCH_DATA"); d != "" {
		return d
	}
	return rel
}

// Read returns every data row of c in dir, in file order. The label is the
// column before the review (the last column).
func Read(dir string, c Corpus) ([]Review, error) {
	path := filepath.Join(dir, c.File)
	var r io.Reader
	if strings.HasSuffix(c.File, ".zip") {
		z, err := zip.OpenReader(path)
		if err != nil {
			return nil, err
		}
		defer z.Close()
		if len(z.File) != 1 {
			return nil, fmt.Errorf("%s: want one file in the zip, found %d", path, len(z.File))
		}
		f, err := z.File[0].Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		defer f.Close()
		r = f
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	if _, err := cr.Read(); err != nil {
		return nil, fmt.Errorf("%s: header: %w", path, err)
	}
	var out []Review
	for n := 1; ; n++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) < 2 {
			return nil, fmt.Errorf("%s: data row %d: %d fields, want a label and a review", path, n, len(rec))
		}
		label, err := strconv.Atoi(strings.TrimSpace(rec[len(rec)-2]))
		if err != nil || label != 0 && label != 1 {
			return nil, fmt.Errorf("%s: data row %d: label %q, want 0 or 1", path, n, rec[len(rec)-2])
		}
		out = append(out, Review{Row: n, Positive: label == 1, Text: strings.TrimPrefix(rec[len(rec)-1], "\ufeff")})
	}
}

// Split returns the train and held-out parts of rs.
func Split(rs []Review) (train, heldOut []Review) {
	for _, r := range rs {
		if HeldOut(r.Row) {
			heldOut = append(heldOut, r)
		} else {
			train = append(train, r)
		}
	}
	return train, heldOut
}
