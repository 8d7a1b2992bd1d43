package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/tagger"
)

// errFindings ends a lexicon command that found problems: exit 1, like a
// linter or a failing test run.
var errFindings = errors.New("lexicon problems found")

func lexiconCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lexicon",
		Short: "Tools for lexicon authors: check, test, coverage",
	}
	cmd.AddCommand(lexiconCheckCommand(), lexiconTestCommand(), lexiconCoverageCommand(), lexiconDiffCommand(), lexiconEvalCommand(), lexiconSampleCommand())
	return cmd
}

func lexiconCheckCommand() *cobra.Command {
	var configFile string
	var strict, verbose bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Validate the config's lexicons and report problems with file:line",
		Long: `Check loads every lexicon of the config and reports, as file:line: severity:
message, what would make tagging differ from what is written: syntax and
schema errors, a term listed twice or under two dimensions, a word that is a
positive cue in one place and a negative one in another, dimensions nothing
can tag, terms that do not tag their dimension on their own, and terms the
segmenter would not keep whole (and whether vocmine repairs that).

Exit status: 0 clean, 1 on errors (and on warnings with --strict).
Info lines (terms gse's dictionary splits, which vocmine repairs) show with -v.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, cleanup, err := loadConfig(config.Loader{File: configFile})
			if err != nil {
				return err
			}
			defer cleanup()
			findings, err := checkLexicons(cfg)
			if err != nil {
				return err
			}
			return reportFindings(cmd.OutOrStdout(), findings, strict, verbose)
		},
	}
	cmd.Flags().StringVar(&configFile, "config", "", "config file naming the lexicons (default: the embedded telecom example)")
	cmd.Flags().BoolVar(&strict, "strict", false, "exit 1 on warnings too")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "also print info lines")
	return cmd
}

// checkLexicons runs every check on a config's lexicons in one pass: load
// errors of each file, the checks across files (lexicon.Check), then those
// that need the segmenter (tagger.CheckTerms). A file with errors is still
// checked for what it holds (lexicon.ParseFile), so fixing one problem does
// not reveal the next.
func checkLexicons(cfg *config.Config) ([]lexicon.Finding, error) {
	var findings []lexicon.Finding
	var ls []*lexicon.Lexicon
	if cfg.BuiltinLexicon {
		ls = append(ls, lexicon.Builtin())
	}
	for _, path := range cfg.Lexicons {
		l, err := lexicon.ParseFile(path)
		var list lexicon.ErrorList
		switch {
		case errors.As(err, &list):
			for _, e := range list {
				findings = append(findings, lexicon.Finding{Pos: e.Pos, Col: e.Col, Severity: lexicon.SevError, Msg: e.Msg})
			}
		case err != nil:
			findings = append(findings, lexicon.Finding{Pos: lexicon.Pos{File: path}, Severity: lexicon.SevError, Msg: err.Error()})
		}
		if l != nil {
			ls = append(ls, l)
		}
	}
	findings = append(findings, lexicon.Check(ls...)...)
	lex := lexicon.Merge(ls...)
	if len(lex.Dimensions) == 0 {
		findings = append(findings, lexicon.Finding{Pos: lexicon.Pos{File: strings.Join(cfg.Lexicons, ", ")}, Severity: lexicon.SevError, Msg: lexicon.ErrNoDimensions.Error() + ": nothing can be tagged"})
	}
	tg, err := tagger.New(pipeline.TaggerConfig(cfg), lex)
	if err != nil {
		return nil, err
	}
	more, err := tg.CheckTerms(lex)
	if err != nil {
		return nil, err
	}
	findings = append(findings, more...)
	lexicon.SortFindings(findings)
	return findings, nil
}

// reportFindings prints findings (info only when verbose) and a summary, and
// returns errFindings when the exit status must be 1.
func reportFindings(w io.Writer, findings []lexicon.Finding, strict, verbose bool) error {
	var n [3]int
	for _, f := range findings {
		n[f.Severity]++
		if f.Severity > lexicon.SevInfo || verbose {
			fmt.Fprintln(w, f)
		}
	}
	fmt.Fprintf(w, "%d errors, %d warnings, %d info\n", n[lexicon.SevError], n[lexicon.SevWarning], n[lexicon.SevInfo])
	if n[lexicon.SevError] > 0 || strict && n[lexicon.SevWarning] > 0 {
		return errFindings
	}
	return nil
}

func lexiconTestCommand() *cobra.Command {
	var configFile string
	cmd := &cobra.Command{
		Use:   "test",
		Short: "Run the examples written in the lexicons; exit 1 on any failure",
		Long: `Test tags the examples of every lexicon of the config (the "examples:" key:
a text, the whole set of tags it must get, and dimensions it must not tag)
and prints each failure as a diff: "-" expected and missing, "+" got and not
expected. vocmine run runs the same examples first and does not publish
while one fails (unless --allow-failing-examples).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, lex, tg, cleanup, err := configTagger(configFile)
			if err != nil {
				return err
			}
			defer cleanup()
			fails := tg.TestExamples(lex.Examples)
			out := cmd.OutOrStdout()
			for _, f := range fails {
				fmt.Fprintln(out, f)
			}
			fmt.Fprintf(out, "%d examples, %d passed, %d failed\n", len(lex.Examples), len(lex.Examples)-len(fails), len(fails))
			if len(fails) > 0 {
				return errFindings
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&configFile, "config", "", "config file naming the lexicons (default: the embedded telecom example)")
	return cmd
}

func lexiconCoverageCommand() *cobra.Command {
	var configFile, out string
	var o pipeline.CoverageOptions
	cmd := &cobra.Command{
		Use:   "coverage (--input FILE | --run DIR)",
		Short: "How many reasons the lexicons tag, per group, and what the untagged ones talk about",
		Long: `Coverage tags every reason of --input (read with the config's input
settings) and prints, per score group and overall, the share of non-junk
reasons with at least one tag. Then term mining: the most frequent words and
two-word phrases in the untagged reasons, by group (detractors first), with
counts and example reasons, leaving out stop words and words the lexicons
already have. The candidates are also written to <out>/candidates.parquet.

With --run <output.dir>/run_date=YYYY-MM-DD it prints what the run measured
itself (its coverage.parquet and candidates.parquet) when the config's
lexicons are the run's; with other lexicons (a lexicon change to try on
last night's accepted responses) it re-tags the run's responses.`,
		Example: `  vocmine lexicon coverage --config survey.yaml --input export.csv
  vocmine lexicon coverage --config waimai.yaml --input waimai_10k.csv --text review --score label
  vocmine lexicon coverage --config survey.yaml --run vocmine-out/run_date=2026-11-30`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (o.Input == "") == (o.Run == "") {
				return usageError{errors.New("give --input FILE or --run DIR (a published run_date=... folder)")}
			}
			cfg, lex, tg, cleanup, err := configTagger(configFile)
			if err != nil {
				return err
			}
			defer cleanup()
			rep, err := runCoverage(cmd.OutOrStdout(), cfg, lex, o)
			if err == nil && rep == nil {
				rep, err = pipeline.Coverage(cmd.Context(), cfg, tg, o)
			}
			if err != nil {
				return err
			}
			printCoverage(cmd.OutOrStdout(), rep, o.Top)
			for i := range rep.Candidates {
				rep.Candidates[i].LexiconVersion = pipeline.LexiconVersion(cfg, lex)
			}
			path := filepath.Join(out, "candidates.parquet")
			if err := pipeline.WriteCandidates(path, rep.Candidates); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\n%d candidates written to %s\n", len(rep.Candidates), path)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&configFile, "config", "", "config file naming the lexicons and input settings (default: the embedded telecom example)")
	f.StringVar(&o.Input, "input", "", "survey export to measure (csv, tsv, jsonl, xlsx or parquet)")
	f.StringVar(&o.Run, "run", "", "or a published run's folder: its accepted responses, re-tagged with the config's lexicons")
	f.StringVar(&o.Text, "text", "", "text column (default: input.text)")
	f.StringVar(&o.Score, "score", "", `score column (default: input.score); "-" for none`)
	f.IntVar(&o.Top, "top", 20, "candidates per group and kind")
	f.StringVar(&out, "out", ".", "folder for candidates.parquet")
	return cmd
}

// runCoverage is the coverage a published run (o.Run) measured itself, nil
// when there is no run, or when the config's lexicons are not the run's
// (it says so): then the run's responses are re-tagged.
func runCoverage(w io.Writer, cfg *config.Config, lex *lexicon.Lexicon, o pipeline.CoverageOptions) (*pipeline.CoverageReport, error) {
	if o.Run == "" {
		return nil, nil
	}
	m, err := pipeline.ReadManifest(o.Run)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", pipeline.ErrInput, err)
	}
	if v := pipeline.LexiconVersion(cfg, lex); m.LexiconVersion != v {
		fmt.Fprintf(w, "the config's lexicons (%s) are not the run's (%s): re-tagging the run's responses\n\n", v, m.LexiconVersion)
		return nil, nil
	}
	rep, err := pipeline.ReadCoverage(o.Run)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(w, "%s has no coverage.parquet (an older run): re-tagging its responses\n\n", o.Run)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", pipeline.ErrInput, o.Run, err)
	}
	fmt.Fprintf(w, "the run's own coverage (%s)\n\n", o.Run)
	return rep, nil
}

// printCoverage prints the groups' coverage and the first top candidates
// of each group and kind.
func printCoverage(w io.Writer, rep *pipeline.CoverageReport, top int) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "group\treasons\tjunk\ttagged\tuntagged\tcoverage\tuntagged share\t")
	for _, g := range rep.Groups {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.1f%%\t%.1f%%\t\n", g.Group, g.Reasons, g.Junk, g.Tagged, g.Untagged, 100*g.Coverage, 100*g.Uncovered)
	}
	tw.Flush()
	if n := rep.Groups[len(rep.Groups)-1].Unscored; n > 0 {
		fmt.Fprintf(w, "(rows without a score on the scale, counted in \"all\" only: %d)\n", n)
	}
	group, kind := "", ""
	for _, c := range rep.Candidates {
		if top > 0 && int(c.Rank) > top {
			continue
		}
		if c.Group != group || c.Kind != kind {
			group, kind = c.Group, c.Kind
			fmt.Fprintf(w, "\nuntagged %s reasons, most frequent %ss:\n", group, kind)
		}
		ex := make([]string, len(c.Examples))
		for i, e := range c.Examples {
			ex[i] = "「" + truncateRunes(e, 30) + "」"
		}
		fmt.Fprintf(w, "%4d. %s  %d (%.1f%%)  %s\n", c.Rank, c.Candidate, c.Reasons, 100*c.Share, strings.Join(ex, " "))
	}
}

// truncateRunes cuts s to n characters, marking the cut.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func lexiconDiffCommand() *cobra.Command {
	var configFile, input, text string
	var oldFiles, newFiles []string
	var examples int
	cmd := &cobra.Command{
		Use:   "diff --old FILE --new FILE --input FILE",
		Short: "Which reasons gain or lose which tags between two lexicon versions",
		Long: `Diff tags every reason of --input twice, with the lexicon files given to
--old and to --new (each in place of the config's lexicons; the built-in
lexicon and the tagger settings stay the config's), and prints per
dimension how many reasons gain the tag, lose it, or change polarity, with
examples, so that a lexicon change is reviewed on real data before it ships.`,
		Example: `  git show HEAD:lexicon.yaml > /tmp/old.yaml
  vocmine lexicon diff --config survey.yaml --old /tmp/old.yaml --new lexicon.yaml --input export.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(oldFiles) == 0 || len(newFiles) == 0 || input == "" {
				return usageError{errors.New("--old, --new and --input are required")}
			}
			cfg, cleanup, err := loadConfig(config.Loader{File: configFile})
			if err != nil {
				return err
			}
			defer cleanup()
			build := func(files []string) (*tagger.Tagger, string, error) {
				lex, tg, err := buildTagger(cfg, files)
				if err != nil {
					return nil, "", err
				}
				return tg, pipeline.LexiconVersion(cfg, lex), nil
			}
			oldTg, oldV, err := build(oldFiles)
			if err != nil {
				return err
			}
			newTg, newV, err := build(newFiles)
			if err != nil {
				return err
			}
			rep, err := pipeline.LexiconDiff(cmd.Context(), cfg, oldTg, newTg, input, text, examples)
			if err != nil {
				return err
			}
			printDiff(cmd.OutOrStdout(), rep, oldV, newV)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&configFile, "config", "", "config file for the input settings, built-in lexicon and tagger settings (default: the embedded example)")
	f.StringSliceVar(&oldFiles, "old", nil, "lexicon file(s) of the old version (repeat or comma-separate)")
	f.StringSliceVar(&newFiles, "new", nil, "lexicon file(s) of the new version")
	f.StringVar(&input, "input", "", "survey export to tag with both")
	f.StringVar(&text, "text", "", "text column (default: input.text)")
	f.IntVar(&examples, "examples", 3, "examples per dimension and kind of change")
	return cmd
}

func printDiff(w io.Writer, rep *pipeline.DiffReport, oldV, newV string) {
	fmt.Fprintf(w, "lexicon_version %s -> %s: %d of %d reasons change tags\n", oldV, newV, rep.Changed, rep.Reasons)
	if len(rep.Dimensions) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\ndimension\tgained\tlost\tpolarity changed")
	for _, d := range rep.Dimensions {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", d.Dimension, d.Gained, d.Lost, d.Changed)
	}
	tw.Flush()
	for _, d := range rep.Dimensions {
		fmt.Fprintf(w, "\n%s:\n", d.Dimension)
		for _, e := range d.Examples {
			switch {
			case e.Old == "":
				fmt.Fprintf(w, "  + %s  「%s」\n", e.New, truncateRunes(e.Text, 40))
			case e.New == "":
				fmt.Fprintf(w, "  - %s  「%s」\n", e.Old, truncateRunes(e.Text, 40))
			default:
				fmt.Fprintf(w, "  ~ %s -> %s  「%s」\n", e.Old, e.New, truncateRunes(e.Text, 40))
			}
		}
	}
}
