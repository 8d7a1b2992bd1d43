package pipeline

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/vocmine/vocmine/pipeline/source"
)

// Response is an accepted input row.
type Response struct {
	ID       string
	Score    int
	Group    string // promoter, passive or detractor
	Text     string
	Segments []string // values of input.segments, in order
	File     string
	Line     int
	// Order is the scale's presentation order: 1 ascending, 2 descending,
	// 0 unknown or not configured (input.order).
	Order int8
}

// Reject is a row that was not accepted, and why.
type Reject struct {
	File    string `parquet:"file"`
	Line    int64  `parquet:"line"`
	Offset  int64  `parquet:"offset"`
	Column  string `parquet:"column"`
	Reason  string `parquet:"reason"`
	Message string `parquet:"message"`
	Raw     string `parquet:"raw"`
	// LexiconVersion is the run's (pipeline.LexiconVersion), as on every
	// output row; set when the reject is written.
	LexiconVersion string `parquet:"lexicon_version,dict"`
}

// Reject reason codes.
const (
	ReasonFieldCount      = source.ReasonFieldCount
	ReasonBrokenQuoting   = source.ReasonBrokenQuoting
	ReasonBadJSON         = source.ReasonBadJSON
	ReasonMissingID       = "missing_id"
	ReasonScoreNotNumber  = "score_not_number"
	ReasonScoreOutOfScale = "score_out_of_scale"
	ReasonScoreNotInteger = "score_not_integer"
	ReasonEncoding        = source.ReasonEncoding
	ReasonTextTooLong     = "text_too_long"
	// ReasonNUL is a NUL byte in a value: no survey tool writes one in an
	// id or a reason, it is damage (or UTF-16 without a BOM read as UTF-8),
	// and "R1\x00" would be another respondent than R1. The row is
	// rejected rather than the byte stripped, so that the damage is seen.
	ReasonNUL = "nul_byte"
)

// Cleaner validates records. It is pure: the same record always gives the
// same answer, so it runs anywhere (workers, other engines). Duplicates are
// a property of the whole input and are handled by the caller.
type Cleaner struct {
	// Columns are the names of the record's first values: id, score, text,
	// then those of the Segments values that follow them (a reject of a
	// segment's value names it "segment N" when Columns stops at the text).
	Columns      []string
	Segments     int
	ScaleLow     int
	ScaleHigh    int
	MaxTextBytes int
	// Group maps a score on the scale to its group.
	Group func(score int) string
}

// Clean returns the response a record holds, or why it is rejected.
func (c *Cleaner) Clean(rec source.Record) (Response, *Reject) {
	reject := func(col, reason, format string, args ...any) (Response, *Reject) {
		return Response{}, &Reject{File: rec.File, Line: int64(rec.Line), Offset: rec.Offset, Column: col, Reason: reason,
			Message: fmt.Sprintf(format, args...), Raw: rec.RawText()}
	}
	// Every value read must be text: invalid bytes (a damaged row of a
	// UTF-8 file, or bytes in another encoding) and NUL bytes reject the row
	// before anything reads the value.
	for i, v := range rec.Values[:min(len(rec.Values), 3+c.Segments)] {
		if at, ok := invalidText(v); !ok {
			col := fmt.Sprintf("segment %d", i-2)
			if i < len(c.Columns) {
				col = c.Columns[i]
			}
			if v[at] == 0 {
				return reject(col, ReasonNUL, "%s holds a NUL byte at byte %d", col, at)
			}
			return reject(col, ReasonEncoding, "%s is not valid text in the input's encoding (byte 0x%02x at byte %d)", col, v[at], at)
		}
	}
	id := strings.TrimSpace(rec.Values[0])
	if id == "" {
		return reject(c.Columns[0], ReasonMissingID, "empty id")
	}
	raw := strings.TrimSpace(rec.Values[1])
	score, reason, msg := parseScore(raw, c.ScaleLow, c.ScaleHigh)
	if reason != "" {
		return reject(c.Columns[1], reason, "id=%s: %s", id, msg)
	}
	text := rec.Values[2]
	if len(text) > c.MaxTextBytes {
		return reject(c.Columns[2], ReasonTextTooLong, "id=%s: reason has %d bytes, more than input.max_text_bytes %d", id, len(text), c.MaxTextBytes)
	}
	return Response{ID: id, Score: score, Group: c.Group(score), Text: text, Segments: trimAll(rec.Values[3 : 3+c.Segments]), File: rec.File, Line: rec.Line}, nil
}

// ParseScore reports whether s reads as a score on [low, high] the way a
// run reads one (parseScore), and the score.
func ParseScore(s string, low, high int) (int, bool) {
	n, reason, _ := parseScore(s, low, high)
	return n, reason == ""
}

// parseScore reads an integer score on [low, high]. Full-width digits
// ("９", common from Chinese input methods) are read as digits, and an
// integral decimal ("9.0", as spreadsheets export numbers) as its integer.
func parseScore(s string, low, high int) (int, string, string) {
	if s == "" {
		return 0, ReasonScoreNotNumber, "empty score"
	}
	if !isASCII(s) {
		s = width.Fold.String(s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, ReasonScoreNotNumber, fmt.Sprintf("score %q is not a number", s)
	}
	if f != math.Trunc(f) {
		return 0, ReasonScoreNotInteger, fmt.Sprintf("score %s is not a whole number", s)
	}
	if f < float64(low) || f > float64(high) {
		return 0, ReasonScoreOutOfScale, fmt.Sprintf("score %s is outside the scale [%d, %d]", s, low, high)
	}
	return int(f), "", ""
}

func trimAll(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = strings.TrimSpace(v)
	}
	return out
}

// invalidText reports whether s is valid UTF-8 without a NUL byte, and
// otherwise the offset of the first bad byte.
func invalidText(s string) (int, bool) {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return 0, true // the common case, on the hot path: two fast scans
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c == 0 {
			return i, false
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			return i, false
		}
		i += n
	}
	return 0, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
