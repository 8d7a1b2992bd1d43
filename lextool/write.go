package lextool

import (
	"encoding/json"
	"github.com/vocmine/vocmine/pipeline/table"
	"os"
	"path/filepath"
)

// Row is one row of eval.parquet: a scored dimension, a top level, or the
// micro or macro average. Undefined metrics (nothing to divide by) are null.
type Row struct {
	Engine    string `parquet:"engine"`
	Dimension string `parquet:"dimension"` // "micro", "macro" for the averages
	Level     int32  `parquet:"level"`     // 0 for the averages, 1 for a top level
	Children  int32  `parquet:"children"`  // scored dimensions under a top level scored through them

	Gold      int64 `parquet:"gold"`      // gold mentions
	Predicted int64 `parquet:"predicted"` // predicted mentions

	MentionTP            int64    `parquet:"mention_tp"`
	MentionPrecision     *float64 `parquet:"mention_precision,optional"`
	MentionPrecisionLow  *float64 `parquet:"mention_precision_low,optional"`
	MentionPrecisionHigh *float64 `parquet:"mention_precision_high,optional"`
	MentionRecall        *float64 `parquet:"mention_recall,optional"`
	MentionRecallLow     *float64 `parquet:"mention_recall_low,optional"`
	MentionRecallHigh    *float64 `parquet:"mention_recall_high,optional"`
	MentionF1            *float64 `parquet:"mention_f1,optional"`
	MentionF1Low         *float64 `parquet:"mention_f1_low,optional"`
	MentionF1High        *float64 `parquet:"mention_f1_high,optional"`

	PairTP            int64    `parquet:"pair_tp"`
	PairPrecision     *float64 `parquet:"pair_precision,optional"`
	PairPrecisionLow  *float64 `parquet:"pair_precision_low,optional"`
	PairPrecisionHigh *float64 `parquet:"pair_precision_high,optional"`
	PairRecall        *float64 `parquet:"pair_recall,optional"`
	PairRecallLow     *float64 `parquet:"pair_recall_low,optional"`
	PairRecallHigh    *float64 `parquet:"pair_recall_high,optional"`
	PairF1            *float64 `parquet:"pair_f1,optional"`
	PairF1Low         *float64 `parquet:"pair_f1_low,optional"`
	PairF1High        *float64 `parquet:"pair_f1_high,optional"`

	NegativeTP            int64    `parquet:"negative_tp"`
	NegativeGold          int64    `parquet:"negative_gold"`
	NegativePredicted     int64    `parquet:"negative_predicted"`
	NegativePrecision     *float64 `parquet:"negative_precision,optional"`
	NegativePrecisionLow  *float64 `parquet:"negative_precision_low,optional"`
	NegativePrecisionHigh *float64 `parquet:"negative_precision_high,optional"`
	NegativeRecall        *float64 `parquet:"negative_recall,optional"`
	NegativeRecallLow     *float64 `parquet:"negative_recall_low,optional"`
	NegativeRecallHigh    *float64 `parquet:"negative_recall_high,optional"`
	NegativeF1            *float64 `parquet:"negative_f1,optional"`
	NegativeF1Low         *float64 `parquet:"negative_f1_low,optional"`
	NegativeF1High        *float64 `parquet:"negative_f1_high,optional"`

	PolarityAccuracy     *float64 `parquet:"polarity_accuracy,optional"`
	PolarityAccuracyLow  *float64 `parquet:"polarity_accuracy_low,optional"`
	PolarityAccuracyHigh *float64 `parquet:"polarity_accuracy_high,optional"`

	// Confusion is gold x predicted, row-major, over positive, neutral,
	// negative, mixed, absent (25 counts).
	Confusion []int64 `parquet:"confusion,list"`
}

// Rows are the report's rows for eval.parquet: the dimensions, then micro
// and macro.
func (r *Report) Rows() []Row {
	var out []Row
	for _, m := range append(append([]Metrics{}, r.Dimensions...), r.Micro, r.Macro) {
		row := Row{Engine: r.Engine, Dimension: m.Dimension, Level: int32(m.Level), Children: int32(m.Children), Gold: m.Mention.Gold, Predicted: m.Mention.Predicted,
			MentionTP: m.Mention.TP, PairTP: m.Pair.TP,
			NegativeTP: m.Negative.TP, NegativeGold: m.Negative.Gold, NegativePredicted: m.Negative.Predicted}
		for _, f := range []struct {
			e         Estimate
			v, lo, hi **float64
		}{
			{m.Mention.Precision, &row.MentionPrecision, &row.MentionPrecisionLow, &row.MentionPrecisionHigh},
			{m.Mention.Recall, &row.MentionRecall, &row.MentionRecallLow, &row.MentionRecallHigh},
			{m.Mention.F1, &row.MentionF1, &row.MentionF1Low, &row.MentionF1High},
			{m.Pair.Precision, &row.PairPrecision, &row.PairPrecisionLow, &row.PairPrecisionHigh},
			{m.Pair.Recall, &row.PairRecall, &row.PairRecallLow, &row.PairRecallHigh},
			{m.Pair.F1, &row.PairF1, &row.PairF1Low, &row.PairF1High},
			{m.Negative.Precision, &row.NegativePrecision, &row.NegativePrecisionLow, &row.NegativePrecisionHigh},
			{m.Negative.Recall, &row.NegativeRecall, &row.NegativeRecallLow, &row.NegativeRecallHigh},
			{m.Negative.F1, &row.NegativeF1, &row.NegativeF1Low, &row.NegativeF1High},
			{m.Polarity, &row.PolarityAccuracy, &row.PolarityAccuracyLow, &row.PolarityAccuracyHigh},
		} {
			if f.e.OK {
				*f.v, *f.lo, *f.hi = ptr(f.e.Value), ptr(f.e.Low), ptr(f.e.High)
			}
		}
		for _, line := range m.Confusion {
			row.Confusion = append(row.Confusion, line[:]...)
		}
		out = append(out, row)
	}
	return out
}

func ptr(v float64) *float64 { return &v }

// Write writes dir/eval.json (the whole report) and dir/eval.parquet (its
// Rows), creating dir.
func (r *Report) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "eval.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	_, err = table.Write(filepath.Join(dir, "eval.parquet"), "zstd", r.Rows())
	return err
}
