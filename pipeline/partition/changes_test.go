package partition

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/table"
)

// TestChangesReadsBaseline: Changes reads the baseline partition's metric
// table and mention_rates and compares as aggregate.Changes does, dated by
// the folder; a missing baseline and one of another metric fail.
func TestChangesReadsBaseline(t *testing.T) {
	nps := config.MetricScore("nps")
	dir := filepath.Join(t.TempDir(), "run_date=2026-10-01")
	old := aggregate.Baseline{Date: "2026-10-01",
		Scores: []aggregate.ScoreRow{{Segment: "all", Value: "all", Respondents: 100, NPS: 10, SE: 8, LexiconVersion: "v1"}},
		Rates:  []aggregate.MentionRateRow{{Group: "detractor", Dimension: "资费", Respondents: 100, Mentions: 30, MentionRate: 0.3, LexiconVersion: "v1"}}}
	if err := writeBaseline(dir, "nps", old.Scores, old.Rates); err != nil {
		t.Fatal(err)
	}
	scores := []aggregate.ScoreRow{{Segment: "all", Value: "all", Respondents: 100, NPS: 25, SE: 6}}
	rates := []aggregate.MentionRateRow{{Group: "detractor", Dimension: "资费", Respondents: 100, Mentions: 45, MentionRate: 0.45}}
	got, err := Changes(dir, nps, scores, rates)
	if err != nil {
		t.Fatal(err)
	}
	if want := aggregate.Changes(nps, old, scores, rates); len(got) != 2 || !reflect.DeepEqual(got, want) {
		t.Errorf("read from disk:\n%+v\nwant\n%+v", got, want)
	}
	if _, err := Changes(filepath.Join(t.TempDir(), "nothing"), nps, scores, rates); err == nil {
		t.Error("a missing baseline should fail")
	}
	csat := filepath.Join(t.TempDir(), "run_date=2026-10-02")
	if err := writeBaseline(csat, "csat", old.Scores, old.Rates); err != nil {
		t.Fatal(err)
	}
	if _, err := Changes(csat, nps, scores, rates); err == nil || !strings.Contains(err.Error(), "csat run") {
		t.Errorf("a baseline of another metric: %v", err)
	}
}

func writeBaseline(dir, metric string, scores []aggregate.ScoreRow, rates []aggregate.MentionRateRow) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := (&Manifest{Metric: metric}).Write(filepath.Join(dir, ManifestFile)); err != nil {
		return err
	}
	if _, err := table.WriteMetric(filepath.Join(dir, table.MetricFile(metric)), "zstd", scores, table.Words(config.MetricScore(metric))); err != nil {
		return err
	}
	_, err := table.Write(table.Path(dir, "mention_rates.parquet"), "zstd", rates)
	return err
}
