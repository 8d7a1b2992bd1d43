package pipeline

import (
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/vocmine/vocmine/pipeline/table"
)

// rejectSink writes rejects to rejects.parquet and, for people, rejects.csv.
//
// rejects.csv holds every value as read, invalid bytes included (the CSV
// copy is exact). rejects.parquet keeps the schema's string columns, and a
// Parquet string must be UTF-8 (DuckDB refuses the whole file otherwise:
// "Invalid string encoding found in Parquet file"), so there each byte that
// is not valid UTF-8, and each NUL, is written \xNN, as Python's
// "backslashreplace" writes it: the raw record of a damaged row reads
// R3,9,好\xff坏. A backslash already in the input is left as it is, so the
// text \xff and the byte 0xFF look alike there; rejects.csv tells them
// apart. (A BYTE_ARRAY column without the string annotation would keep the
// bytes, but would change raw's type for every analyst's query.)
type rejectSink struct {
	*table.Writer[Reject]
	f       *os.File
	w       *csv.Writer
	version string // the run's lexicon_version, stamped on every row
}

func newRejectSink(dir, compression string) (*rejectSink, error) {
	pw, err := table.NewWriter[Reject](filepath.Join(dir, "rejects.parquet"), compression)
	if err != nil {
		return nil, err
	}
	f, err := os.Create(filepath.Join(dir, "rejects.csv"))
	if err != nil {
		pw.Close()
		return nil, err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"file", "line", "offset", "column", "reason", "message", "raw"})
	return &rejectSink{Writer: pw, f: f, w: w}, nil
}

// Write writes rows to both files; it does not modify rows beyond setting
// their LexiconVersion.
func (s *rejectSink) Write(rows []Reject) error {
	for i := range rows {
		rows[i].LexiconVersion = s.version
	}
	for _, r := range rows {
		s.w.Write([]string{r.File, strconv.FormatInt(r.Line, 10), strconv.FormatInt(r.Offset, 10), r.Column, r.Reason, r.Message, r.Raw})
	}
	return s.Writer.Write(parquetText(rows))
}

// parquetText returns rows with every string escaped (escapeBytes), copying
// rows only when one needs it.
func parquetText(rows []Reject) []Reject {
	out := rows
	for i, r := range rows {
		e := Reject{File: escapeBytes(r.File), Line: r.Line, Offset: r.Offset, Column: escapeBytes(r.Column), Reason: escapeBytes(r.Reason),
			Message: escapeBytes(r.Message), Raw: escapeBytes(r.Raw), LexiconVersion: escapeBytes(r.LexiconVersion)}
		if e == r {
			continue
		}
		if &out[0] == &rows[0] {
			out = slices.Clone(rows)
		}
		out[i] = e
	}
	return out
}

// escapeBytes writes each byte of s that is not part of valid UTF-8, and
// each NUL, as \xNN (see rejectSink): the bytes the Cleaner rejects a
// value for (invalidText).
func escapeBytes(s string) string {
	var b strings.Builder
	for {
		at, ok := invalidText(s)
		if ok && b.Len() == 0 {
			return s
		}
		if ok {
			b.WriteString(s)
			return b.String()
		}
		fmt.Fprintf(&b, `%s\x%02x`, s[:at], s[at])
		s = s[at+1:]
	}
}

func (s *rejectSink) Close() error {
	s.w.Flush()
	err := errors.Join(s.w.Error(), s.f.Sync(), s.f.Close(), s.Writer.Close())
	if err != nil {
		return fmt.Errorf("closing rejects: %w", err)
	}
	return nil
}
