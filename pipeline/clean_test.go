package pipeline

import (
	"strconv"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/source"
)

func TestClean(t *testing.T) {
	c := &Cleaner{Columns: []string{"id", "q1", "text"}, Segments: 1, ScaleLow: 0, ScaleHigh: 10, MaxTextBytes: 30,
		Group: func(s int) string { return map[bool]string{true: "promoter", false: "detractor"}[s >= 9] }}
	tests := []struct {
		values []string
		want   string // reason code, or "ok:score:group"
	}{
		{[]string{"R1", "9", "好", " 华东 "}, "ok:9:promoter"},
		{[]string{"R1", "９", "好", ""}, "ok:9:promoter"},
		{[]string{"R1", " 10.0 ", "好", ""}, "ok:10:promoter"},
		{[]string{"R1", "9.0", "好", ""}, "ok:9:promoter"}, // an xlsx score as the sheet stores it (TestXLSXNumbers)
		{[]string{"", "9", "好", ""}, ReasonMissingID},
		{[]string{"R1", "", "好", ""}, ReasonScoreNotNumber},
		{[]string{"R1", "九", "好", ""}, ReasonScoreNotNumber},
		{[]string{"R1", "NaN", "好", ""}, ReasonScoreNotNumber},
		{[]string{"R1", "11", "好", ""}, ReasonScoreOutOfScale},
		{[]string{"R1", "-1", "好", ""}, ReasonScoreOutOfScale},
		{[]string{"R1", "8.5", "好", ""}, ReasonScoreNotInteger},
		{[]string{"R1", "8", "bad\xff", ""}, ReasonEncoding},
		{[]string{"R1", "8", strings.Repeat("长", 11), ""}, ReasonTextTooLong},
	}
	for _, tt := range tests {
		resp, rej := c.Clean(source.Record{File: "f.csv", Line: 7, Values: tt.values, Fields: tt.values, Sep: ","})
		var got string
		if rej != nil {
			got = rej.Reason
			if rej.File != "f.csv" || rej.Line != 7 || rej.Message == "" {
				t.Errorf("reject %+v lacks provenance", rej)
			}
		} else {
			got = "ok:" + strconv.Itoa(resp.Score) + ":" + resp.Group
			if resp.Segments[0] != strings.TrimSpace(tt.values[3]) {
				t.Errorf("segment not trimmed: %q", resp.Segments[0])
			}
		}
		if got != tt.want {
			t.Errorf("Clean(%q) = %s, want %s", tt.values, got, tt.want)
		}
	}
}

func TestCheckColumnNames(t *testing.T) {
	dims := []aggregate.Dim{{Name: "资费", Level: 1}}
	for _, tt := range []struct {
		segments []string
		dims     []aggregate.Dim
		ok       bool
	}{
		{[]string{"region", "gender"}, dims, true},
		{[]string{"group"}, dims, false},
		{[]string{"region", "region"}, dims, false},
		{nil, []aggregate.Dim{{Name: "score", Level: 1}}, false},
	} {
		if err := checkColumnNames(tt.segments, tt.dims); (err == nil) != tt.ok {
			t.Errorf("checkColumnNames(%q, %v) = %v", tt.segments, tt.dims, err)
		}
	}
}
