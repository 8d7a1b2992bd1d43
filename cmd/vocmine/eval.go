package main

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/lextool"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/tagger"
)

func lexiconEvalCommand() *cobra.Command {
	var configFile, input, goldFile, mapFile, out, engine string
	var minF1 float64
	var examples int
	cmd := &cobra.Command{
		Use:   "eval --gold FILE [--input FILE] [--map FILE]",
		Short: "Measure the lexicon's tags against hand labels: precision, recall, F1 per dimension, with intervals",
		Long: `Eval tags every reason of --input (read with the config's input settings: its
id and text columns) and compares the tags with --gold, a CSV with a header
whose first three columns are id, dimension, polarity (positive, neutral,
negative), or a file written by "lexicon sample" and corrected by a person
(then --input may be left out: its text column is the input). Reasons of the
input absent from the gold file are labelled "nothing mentioned" (for a
sample file: not scored); gold ids absent from the input are ignored and
counted.

--map FILE (CSV aspect,dimension) renames the gold's aspects to lexicon
dimensions; aspects it does not name are not scored, and the target
@sentiment compares an aspect with the whole-review sentiment. The scored
dimensions are those the gold (after the map) names, and every lexicon
dimension for a sample file; tags of other dimensions are ignored. Top
levels are scored too (mentioned when a child is, with the children's
polarity when they agree, else mixed).

Printed per dimension and overall (micro: pooled counts; macro: mean over
dimensions): mention, (dimension, polarity) pair and negative precision,
recall and F1, polarity accuracy on the mentions both found, with 95%
intervals (Wilson for proportions, a seeded bootstrap over reviews for F1s);
then the sentiment accuracy, the micro confusion matrix and the worst
examples per dimension with the evidence of each tag. --out writes
eval.json and eval.parquet. Exit 1 when --min is given and the micro pair F1
is below it.`,
		Example: `  vocmine lexicon sample --config survey.yaml --input export.csv --n 200 --out sample.csv
  # a person corrects sample.csv, then:
  vocmine lexicon eval --config survey.yaml --gold sample.csv --min 0.7
  vocmine lexicon eval --config dianping.yaml --input reviews.csv --gold labels.csv --map aspects.csv --out eval/`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if goldFile == "" {
				return usageError{errors.New("--gold is required")}
			}
			if engine != "vocmine" && engine != "naive" {
				return usageError{fmt.Errorf("--engine %q: want vocmine or naive", engine)}
			}
			cfg, cleanup, err := loadConfig(config.Loader{File: configFile})
			if err != nil {
				return err
			}
			defer cleanup()
			lex, err := loadLexicon(cfg, cfg.Lexicons)
			if err != nil {
				return err
			}
			var dims []string
			for _, d := range lex.Dimensions {
				dims = append(dims, d.Name)
			}
			var m *lextool.Map
			if mapFile != "" {
				if m, err = readCSVFile(mapFile, func(r io.Reader) (*lextool.Map, error) { return lextool.ReadMap(r, mapFile, dims) }); err != nil {
					return err
				}
			}
			gold, err := readCSVFile(goldFile, func(r io.Reader) (*lextool.Gold, error) { return lextool.ReadGold(r, goldFile, m, dims) })
			if err != nil {
				return err
			}
			if input == "" && !gold.HasText() {
				return usageError{fmt.Errorf("--input is required: %s has no text column", goldFile)}
			}
			eng, err := evalEngine(cfg, lex, engine)
			if err != nil {
				return err
			}
			var reviews []lextool.Review
			switch {
			case input != "":
				if reviews, err = lextool.ReadInput(cmd.Context(), cfg, input); err != nil {
					return err
				}
			default:
				for _, id := range gold.IDs {
					reviews = append(reviews, lextool.Review{ID: id, Text: gold.Texts[id]})
				}
			}
			if err := lextool.TagAll(cmd.Context(), eng, reviews); err != nil {
				return err
			}
			rep := lextool.Evaluate(reviews, gold, lextool.Options{
				Dimensions: lextool.ScoredDimensions(gold, m, dims), Examples: examples, Engine: engine, Seed: 1,
				LabelledOnly: gold.HasText()})
			w := cmd.OutOrStdout()
			printEval(w, rep)
			if out != "" {
				if err := rep.Write(out); err != nil {
					return err
				}
				fmt.Fprintf(w, "\nwritten: %s, %s\n", filepath.Join(out, "eval.json"), filepath.Join(out, "eval.parquet"))
			}
			if cmd.Flags().Changed("min") {
				f1 := rep.Micro.Pair.F1
				if !f1.OK || f1.Value < minF1 {
					return fmt.Errorf("%w: micro pair F1 %s is below --min %.3f", errFindings, fmtValue(f1), minF1)
				}
				fmt.Fprintf(w, "\nmicro pair F1 %s >= --min %.3f\n", fmtValue(f1), minF1)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&configFile, "config", "", "config file naming the lexicons and input settings (default: the embedded telecom example)")
	f.StringVar(&input, "input", "", "reasons to tag, read with the config's input settings (default: the gold file's text column)")
	f.StringVar(&goldFile, "gold", "", "gold labels: CSV id,dimension,polarity (or a corrected lexicon sample file)")
	f.StringVar(&mapFile, "map", "", "CSV aspect,dimension renaming the gold's aspects (target @sentiment: the whole-review sentiment)")
	f.StringVar(&out, "out", "", "folder for eval.json and eval.parquet")
	f.Float64Var(&minF1, "min", 0, "exit 1 when the micro (dimension, polarity) F1 is below this")
	f.StringVar(&engine, "engine", "vocmine", "vocmine, or naive: the substring baseline with the same lexicon")
	f.IntVar(&examples, "examples", 3, "worst examples per dimension and kind")
	return cmd
}

// evalEngine builds the engine eval measures from the merged lexicon (the
// built-in one and the config's files, as vocmine run merges them): the
// tagger with the config's settings, or the naive substring baseline
// (lextool.Naive), which needs no segmenter.
func evalEngine(cfg *config.Config, lex *lexicon.Lexicon, engine string) (lextool.Engine, error) {
	if engine == "naive" {
		return lextool.NewNaive(lex), nil
	}
	tg, err := tagger.New(pipeline.TaggerConfig(cfg), lex)
	if err != nil {
		return nil, err
	}
	return tg, nil
}

// readCSVFile opens path and reads it with read; errors about the content
// are input errors (exit 65).
func readCSVFile[T any](path string, read func(io.Reader) (*T, error)) (*T, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", source.ErrInput, err)
	}
	return v, nil
}

// fmtValue writes a metric with three decimals, "-" when undefined.
func fmtValue(e lextool.Estimate) string {
	if !e.OK {
		return "-"
	}
	return fmt.Sprintf("%.3f", e.Value)
}

// fmtInterval writes a metric and its interval: "0.812 [0.781-0.840]".
func fmtInterval(e lextool.Estimate) string {
	if !e.OK {
		return "-"
	}
	return fmt.Sprintf("%.3f [%.3f-%.3f]", e.Value, e.Low, e.High)
}

func printEval(w io.Writer, rep *lextool.Report) {
	fmt.Fprintf(w, "engine %s: %d reviews, %d with gold rows (the others: nothing mentioned)\n", rep.Engine, rep.Reviews, rep.Labelled)
	var notes []string
	if rep.GoldOnly > 0 {
		notes = append(notes, fmt.Sprintf("%d gold ids not in the input (ignored)", rep.GoldOnly))
	}
	if rep.Unmapped > 0 {
		notes = append(notes, fmt.Sprintf("%d gold rows of aspects the map does not name (not scored)", rep.Unmapped))
	}
	if rep.Unlabelled > 0 {
		notes = append(notes, fmt.Sprintf("%d input reasons not in the sample (not scored)", rep.Unlabelled))
	}
	if rep.DuplicateIDs > 0 {
		notes = append(notes, fmt.Sprintf("%d input rows with a repeated id (skipped)", rep.DuplicateIDs))
	}
	if rep.Merged > 0 {
		notes = append(notes, fmt.Sprintf("%d (review, dimension) pairs whose mapped aspects disagree (sign of their sum)", rep.Merged))
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, strings.Join(notes, "; "))
	}
	fmt.Fprintln(w, "\n95% intervals: Wilson for P, R and accuracy; bootstrap over reviews for F1")
	header := []string{"", "gold", "pred", "mention P", "mention R", "mention F1", "pair P", "pair R", "pair F1", "polarity acc", "negative F1"}
	row := func(m lextool.Metrics, p func(lextool.Estimate) string) []string {
		return []string{m.Dimension, fmt.Sprint(m.Mention.Gold), fmt.Sprint(m.Mention.Predicted),
			p(m.Mention.Precision), p(m.Mention.Recall), fmtInterval(m.Mention.F1),
			p(m.Pair.Precision), p(m.Pair.Recall), fmtInterval(m.Pair.F1),
			fmtInterval(m.Polarity), fmtInterval(m.Negative.F1)}
	}
	rows := [][]string{header}
	rows[0][0] = "dimension"
	for i, m := range rep.Dimensions {
		if m.Children > 0 && (i == 0 || rep.Dimensions[i-1].Children == 0) {
			rows = append(rows, []string{"top levels:"})
		}
		rows = append(rows, row(m, fmtValue))
	}
	printTable(w, rows)
	fmt.Fprintln(w)
	rows = [][]string{slices.Clone(header), row(rep.Micro, fmtInterval), row(rep.Macro, fmtInterval)}
	rows[0][0] = "overall"
	printTable(w, rows)
	m := rep.Micro
	fmt.Fprintf(w, "negative (micro): P %s, R %s, F1 %s\n", fmtInterval(m.Negative.Precision), fmtInterval(m.Negative.Recall), fmtInterval(m.Negative.F1))
	if s := rep.Sentiment; s != nil {
		fmt.Fprintf(w, "\nsentiment accuracy: %s (%d of %d reviews)\n", fmtInterval(s.Accuracy), s.Correct, s.Reviews)
	}
	fmt.Fprintln(w, "\nconfusion (micro), gold in rows, predicted in columns:")
	printConfusion(w, m.Confusion)
	printExamples(w, rep.Examples)
}

func printConfusion(w io.Writer, c lextool.Confusion) {
	labels := lextool.Labels()
	rows := [][]string{append([]string{""}, labels...)}
	for g, line := range c {
		r := []string{labels[g]}
		for _, n := range line {
			r = append(r, fmt.Sprint(n))
		}
		rows = append(rows, r)
	}
	printTable(w, rows)
}

// printTable aligns columns by their width on a terminal, left-aligned
// (writeTable, lexicon.go).
func printTable(w io.Writer, rows [][]string) { writeTable(w, "", rows) }

func printExamples(w io.Writer, exs []lextool.Example) {
	dim := ""
	for _, e := range exs {
		if e.Dimension != dim {
			dim = e.Dimension
			fmt.Fprintf(w, "\n%s:\n", dim)
		}
		fmt.Fprintf(w, "  %s  %s  gold %s, predicted %s\n    「%s」\n", strings.ReplaceAll(e.Kind, "_", " "), e.ID, e.Gold, e.Predicted, e.Text)
		for i, ev := range e.Evidence {
			var parts []string
			if ev.Term != "" {
				parts = append(parts, "term "+ev.Term)
			}
			if ev.Cue != "" {
				parts = append(parts, "cue "+ev.Cue)
			}
			for _, flag := range []struct {
				on   bool
				name string
			}{{ev.Negated, "negated"}, {ev.Inherited, "inherited"}} {
				if flag.on {
					parts = append(parts, flag.name)
				}
			}
			if ev.Rule != "" {
				parts = append(parts, "rule "+ev.Rule)
			}
			if i < len(e.Clauses) && e.Clauses[i] != "" {
				parts = append(parts, "in "+quote(e.Clauses[i], 60))
			}
			fmt.Fprintf(w, "    %s\n", strings.Join(parts, ", "))
		}
	}
}

func lexiconSampleCommand() *cobra.Command {
	var configFile, input, out string
	var n int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "sample --input FILE --out sample.csv [--n 200]",
		Short: "Draw reasons for hand labelling, prefilled with the current tags, for lexicon eval",
		Long: `Sample tags every reason of --input (read with the config's input settings)
and draws --n of them for a person to label, stratified so that every
dimension and the untagged reasons are in it: up to a fifth of the sample
from the untagged reasons, the rest round-robin over the dimensions that tag
something, rarest first (each gets about the same number, a rare one all it
has), score groups taking turns within each. Empty, junk and repeated
reasons are left out; the same seed and input give the same sample.

The CSV (UTF-8 with a BOM, for Excel) has columns id, group, text,
dimension, polarity: one row per current tag, one row with an empty
dimension for a reason without tags. Correct it (fix a polarity, delete a
wrong row, add a row for a missed mention, leave one row with an empty
dimension for a reason that mentions nothing), then measure with
"vocmine lexicon eval --gold sample.csv".`,
		Example: `  vocmine lexicon sample --config survey.yaml --input export.csv --n 200 --out sample.csv`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if input == "" || out == "" || n <= 0 {
				return usageError{errors.New("--input, --out and a positive --n are required")}
			}
			cfg, _, tg, cleanup, err := configTagger(configFile)
			if err != nil {
				return err
			}
			defer cleanup()
			reviews, err := lextool.ReadInput(cmd.Context(), cfg, input)
			if err != nil {
				return err
			}
			if err := lextool.TagAll(cmd.Context(), tg, reviews); err != nil {
				return err
			}
			sample, strata := lextool.Sample(reviews, n, seed)
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			if err := lextool.WriteSample(f, sample); err != nil {
				f.Close()
				return fmt.Errorf("writing %s: %w", out, err)
			}
			if err := f.Close(); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%d of %d reasons drawn (seed %d) into %s\n\n", len(sample), len(reviews), seed, out)
			rows := [][]string{{"stratum", "reasons", "drawn", "in sample"}}
			for _, s := range strata {
				rows = append(rows, []string{s.Name, fmt.Sprint(s.Reasons), fmt.Sprint(s.Drawn), fmt.Sprint(s.InSample)})
			}
			printTable(w, rows)
			groups := map[string]int{}
			var names []string
			for _, r := range sample {
				if groups[r.Group] == 0 {
					names = append(names, r.Group)
				}
				groups[r.Group]++
			}
			slices.Sort(names)
			var parts []string
			for _, g := range names {
				parts = append(parts, fmt.Sprintf("%s %d", cmp.Or(g, "(no score)"), groups[g]))
			}
			fmt.Fprintf(w, "\nby group: %s\n", strings.Join(parts, ", "))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&configFile, "config", "", "config file naming the lexicons and input settings (default: the embedded telecom example)")
	f.StringVar(&input, "input", "", "reasons to draw from, read with the config's input settings")
	f.StringVar(&out, "out", "", "CSV to write")
	f.IntVar(&n, "n", 200, "reasons to draw")
	f.Uint64Var(&seed, "seed", 1, "seed of the draw")
	return cmd
}
