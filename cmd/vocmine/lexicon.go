package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/mattn/go-runewidth"
	"github.com/spf13/cobra"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/lextool"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/pipeline/table"
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
	var configFile, date, out string
	var o lextool.CoverageOptions
	cmd := &cobra.Command{
		Use:   "coverage [--input FILE | --run DIR] [--out DIR]",
		Short: "How many reasons the lexicons tag, per group, and what the untagged ones talk about",
		Long: `Coverage tags every reason of --input (default: the config's input.path,
{date} filled from --date, today by default, as vocmine run does; a glob must
match one file) read with the config's input settings, and prints, per score
group and overall, the share of non-junk reasons with at least one tag. Then
term mining: the most frequent words and two-word phrases in the untagged
reasons, by group (detractors first), with counts and example reasons,
leaving out stop words and words the lexicons already have. With --out DIR
the candidates are also written to DIR/candidates.parquet.

With --run <output.dir>/_runs/run_date=YYYY-MM-DD it prints what the run measured
itself (its coverage.parquet and candidates.parquet) when the config's
lexicons are the run's; with other lexicons (a lexicon change to try on
last night's accepted responses) it re-tags the run's responses.`,
		Example: `  vocmine lexicon coverage --config survey.yaml
  vocmine lexicon coverage --config survey.yaml --input export.csv --out review/
  vocmine lexicon coverage --config waimai.yaml --input waimai_10k.csv --text review --score label
  vocmine lexicon coverage --config survey.yaml --run vocmine-out/_runs/run_date=2026-11-30`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.Run != "" && cmd.Flags().Changed("input") {
				return usageError{errors.New("give --input FILE or --run DIR (a published run: <output.dir>/_runs/run_date=...), not both")}
			}
			cfg, cleanup, err := loadInputConfig(cmd, configFile, date)
			if err != nil {
				return err
			}
			defer cleanup()
			lex, tg, err := buildTagger(cfg, cfg.Lexicons)
			if err != nil {
				return err
			}
			if o.Run == "" {
				if o.Input, err = inputFile(cfg); err != nil {
					return err
				}
			}
			rep, err := runCoverage(cmd.OutOrStdout(), cfg, lex, o)
			if err == nil && rep == nil {
				rep, err = lextool.Coverage(cmd.Context(), cfg, tg, o)
			}
			if err != nil {
				return err
			}
			printCoverage(cmd.OutOrStdout(), rep, o.Top)
			for i := range rep.Candidates {
				rep.Candidates[i].LexiconVersion = pipeline.LexiconVersion(cfg, lex)
			}
			if out == "" {
				fmt.Fprintf(cmd.OutOrStdout(), "\n%d candidates (--out DIR writes them to DIR/candidates.parquet)\n", len(rep.Candidates))
				return nil
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			path := filepath.Join(out, "candidates.parquet")
			if _, err := table.Write(path, "zstd", rep.Candidates); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\n%d candidates written to %s\n", len(rep.Candidates), path)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&configFile, "config", "", "config file naming the lexicons and input settings (default: the embedded telecom example)")
	f.String("input", "", "survey export (or glob of one) to measure: csv, tsv, jsonl, xlsx or parquet (default: input.path)")
	f.StringVar(&date, "date", "", "date YYYY-MM-DD that fills {date} in input.path (default today)")
	f.StringVar(&o.Run, "run", "", "or a published run's folder: its accepted responses, re-tagged with the config's lexicons")
	f.StringVar(&o.Text, "text", "", "text column (default: input.text)")
	f.StringVar(&o.Score, "score", "", `score column (default: input.score); "-" for none`)
	f.IntVar(&o.Top, "top", 20, "candidates per group and kind")
	f.StringVar(&out, "out", "", "folder to write candidates.parquet to (default: none written)")
	return cmd
}

// loadInputConfig loads the config of a command that reads a survey export
// as vocmine run does: --input sets input.path, --date fills its {date}.
func loadInputConfig(cmd *cobra.Command, file, date string) (*config.Config, func(), error) {
	day := time.Now()
	if date != "" {
		var err error
		if day, err = time.ParseInLocation(time.DateOnly, date, time.Local); err != nil {
			return nil, nil, usageError{fmt.Errorf("--date %q: want YYYY-MM-DD", date)}
		}
	}
	return loadConfig(config.Loader{File: file, Flags: cmd.Flags(), Date: day, FlagKeys: map[string]string{"input": "input.path"}})
}

// inputFile is the file input.path names, a glob resolved as vocmine run
// resolves it. Coverage and diff measure one file: a glob of several is
// refused rather than one of them measured without a word.
func inputFile(cfg *config.Config) (string, error) {
	path := cfg.InputPath()
	if fi, err := os.Stat(path); err == nil && !fi.IsDir() {
		return path, nil // a file whose name holds [, * or ?
	}
	files, err := filepath.Glob(path)
	if err != nil {
		return "", usageError{fmt.Errorf("input.path %q: %w", path, err)}
	}
	switch len(files) {
	case 0:
		return "", fmt.Errorf("%w: input.path %q matches no file", source.ErrNoInput, path)
	case 1:
		return files[0], nil
	}
	return "", usageError{fmt.Errorf("input.path %q matches %d files (%s, %s...): give --input with one of them", path, len(files), files[0], files[1])}
}

// runCoverage is the coverage a published run (o.Run) measured itself, nil
// when there is no run, or when the config's lexicons are not the run's
// (it says so): then the run's responses are re-tagged.
func runCoverage(w io.Writer, cfg *config.Config, lex *lexicon.Lexicon, o lextool.CoverageOptions) (*aggregate.CoverageReport, error) {
	if o.Run == "" {
		return nil, nil
	}
	m, err := partition.ReadManifest(o.Run)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", source.ErrInput, err)
	}
	if v := pipeline.LexiconVersion(cfg, lex); m.LexiconVersion != v {
		fmt.Fprintf(w, "the config's lexicons (%s) are not the run's (%s): re-tagging the run's responses\n\n", v, m.LexiconVersion)
		return nil, nil
	}
	rep, err := table.ReadCoverage(o.Run)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(w, "%s has no coverage.parquet (an older run): re-tagging its responses\n\n", o.Run)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", source.ErrInput, o.Run, err)
	}
	fmt.Fprintf(w, "the run's own coverage (%s)\n\n", o.Run)
	return rep, nil
}

// printCoverage prints the groups' coverage and the first top candidates
// of each group and kind.
func printCoverage(w io.Writer, rep *aggregate.CoverageReport, top int) {
	rows := [][]string{{"group", "reasons", "junk", "tagged", "untagged", "coverage", "untagged share"}}
	for _, g := range rep.Groups {
		rows = append(rows, []string{g.Group, fmt.Sprint(g.Reasons), fmt.Sprint(g.Junk), fmt.Sprint(g.Tagged), fmt.Sprint(g.Untagged),
			fmt.Sprintf("%.1f%%", 100*g.Coverage), fmt.Sprintf("%.1f%%", 100*g.Uncovered)})
	}
	writeTable(w, "", rows, 1, 2, 3, 4, 5, 6)
	if n := rep.Groups[len(rep.Groups)-1].Unscored; n > 0 {
		fmt.Fprintf(w, "(rows without a score on the scale, counted in \"all\" only: %d)\n", n)
	}
	var block [][]string // the candidates of one group and kind
	for i, c := range rep.Candidates {
		if top <= 0 || int(c.Rank) <= top {
			ex := make([]string, len(c.Examples))
			for j, e := range c.Examples {
				ex[j] = quote(e, 60)
			}
			block = append(block, []string{fmt.Sprintf("%d.", c.Rank), c.Candidate, fmt.Sprint(c.Reasons), fmt.Sprintf("(%.1f%%)", 100*c.Share), strings.Join(ex, " ")})
		}
		if next := i + 1; len(block) > 0 && (next == len(rep.Candidates) || rep.Candidates[next].Group != c.Group || rep.Candidates[next].Kind != c.Kind) {
			fmt.Fprintf(w, "\nuntagged %s reasons, most frequent %ss:\n", c.Group, c.Kind)
			writeTable(w, "  ", block, 0, 2, 3)
			block = block[:0]
		}
	}
}

// writeTable prints rows in columns two spaces apart, each line after
// indent: the columns whose index is in right are right-aligned, the others
// left-aligned. Cells are padded by display width (text/tabwriter counts
// characters, and a Chinese one takes two columns of a terminal).
func writeTable(w io.Writer, indent string, rows [][]string, right ...int) {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, row := range rows {
		line := indent
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-displayWidth(c))
			switch {
			case slices.Contains(right, i):
				c = pad + c
			case i < len(row)-1:
				c += pad
			}
			if i > 0 {
				line += "  "
			}
			line += c
		}
		fmt.Fprintln(w, line)
	}
}

// displayWidth is the number of terminal columns s takes. Characters of
// ambiguous width (↵, …) count one, as terminals draw them by default,
// whatever the locale, so that every user (and test) gets the same layout.
func displayWidth(s string) int { return narrow().StringWidth(s) }

func narrow() *runewidth.Condition { return &runewidth.Condition{StrictEmojiNeutral: true} }

// lineBreaks shows the line breaks of an example reason as ↵.
var lineBreaks = strings.NewReplacer("\r\n", "↵", "\n", "↵", "\r", "↵", "\u2028", "↵", "\u2029", "↵")

// quote puts an example reason on one line of at most width columns
// (display width, marking the cut with …) between 「」: line breaks show
// as ↵, tabs and other control characters as a space.
func quote(s string, width int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, lineBreaks.Replace(s))
	return "「" + narrow().Truncate(s, width, "…") + "」"
}

func lexiconDiffCommand() *cobra.Command {
	var configFile, date, text string
	var oldFiles, newFiles []string
	var examples int
	cmd := &cobra.Command{
		Use:   "diff --old FILE --new FILE [--input FILE]",
		Short: "Which reasons gain or lose which tags between two lexicon versions",
		Long: `Diff tags every reason of --input (default: the config's input.path, {date}
filled from --date, today by default, as vocmine run does; a glob must match
one file) twice, with the lexicon files given to --old and to --new (each in
place of the config's lexicons; the built-in lexicon and the tagger settings
stay the config's), and prints per dimension how many reasons gain the tag,
lose it, or change polarity, with examples, so that a lexicon change is
reviewed on real data before it ships.`,
		Example: `  git show HEAD:lexicon.yaml > /tmp/old.yaml
  vocmine lexicon diff --config survey.yaml --old /tmp/old.yaml --new lexicon.yaml --input export.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(oldFiles) == 0 || len(newFiles) == 0 {
				return usageError{errors.New("--old and --new are required")}
			}
			cfg, cleanup, err := loadInputConfig(cmd, configFile, date)
			if err != nil {
				return err
			}
			defer cleanup()
			input, err := inputFile(cfg)
			if err != nil {
				return err
			}
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
			rep, err := lextool.LexiconDiff(cmd.Context(), cfg, oldTg, newTg, input, text, examples)
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
	f.String("input", "", "survey export (or glob of one) to tag with both (default: input.path)")
	f.StringVar(&date, "date", "", "date YYYY-MM-DD that fills {date} in input.path (default today)")
	f.StringVar(&text, "text", "", "text column (default: input.text)")
	f.IntVar(&examples, "examples", 3, "examples per dimension and kind of change")
	return cmd
}

func printDiff(w io.Writer, rep *lextool.DiffReport, oldV, newV string) {
	fmt.Fprintf(w, "lexicon_version %s -> %s: %d of %d reasons change tags\n", oldV, newV, rep.Changed, rep.Reasons)
	if len(rep.Dimensions) == 0 {
		return
	}
	rows := [][]string{{"dimension", "gained", "lost", "polarity changed"}}
	for _, d := range rep.Dimensions {
		rows = append(rows, []string{d.Dimension, fmt.Sprint(d.Gained), fmt.Sprint(d.Lost), fmt.Sprint(d.Changed)})
	}
	fmt.Fprintln(w)
	writeTable(w, "", rows, 1, 2, 3)
	for _, d := range rep.Dimensions {
		fmt.Fprintf(w, "\n%s:\n", d.Dimension)
		rows = rows[:0]
		for _, e := range d.Examples {
			change := "~ " + e.Old + " -> " + e.New
			switch {
			case e.Old == "":
				change = "+ " + e.New
			case e.New == "":
				change = "- " + e.Old
			}
			rows = append(rows, []string{change, quote(e.Text, 80)})
		}
		writeTable(w, "  ", rows)
	}
}
