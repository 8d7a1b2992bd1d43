package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/tagger"
)

func explainCommand() *cobra.Command {
	var configFile string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "explain [TEXT...]",
		Short: "Show how reasons are tagged: tokens, clauses, cues, negators, tags",
		Long: `Explain tags each TEXT (or each line of standard input when none is given)
with the config's lexicons and prints why: the tokens, the clauses and their
weights, every term and cue counted for each dimension with its negators and
intensifiers, and the final dimension, polarity and code. --json writes one
JSON object per text instead. With no --config it uses the embedded example.`,
		Example: `  vocmine explain --config survey.yaml "信号太差了，但是客服态度很好"
  cut -d, -f3 export.csv | vocmine explain --config survey.yaml --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			_, _, tg, cleanup, err := configTagger(configFile)
			if err != nil {
				return err
			}
			defer cleanup()
			out := bufio.NewWriter(cmd.OutOrStdout())
			defer out.Flush()
			enc := json.NewEncoder(out)
			enc.SetEscapeHTML(false)
			one := func(text string) error {
				r := tg.Tag(text)
				if asJSON {
					return enc.Encode(r)
				}
				_, err := fmt.Fprintln(out, r.Explain())
				return err
			}
			if len(args) > 0 {
				for _, a := range args {
					if err := one(a); err != nil {
						return err
					}
				}
				return nil
			}
			return eachLine(cmd.InOrStdin(), one)
		},
	}
	cmd.Flags().StringVar(&configFile, "config", "", "config file naming the lexicons (default: the embedded telecom example)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per text (JSON Lines)")
	return cmd
}

// configTagger loads a config (the embedded example's when file is empty)
// and builds the tagger of its lexicons; cleanup removes the unpacked example.
func configTagger(file string) (*config.Config, *lexicon.Lexicon, *tagger.Tagger, func(), error) {
	cfg, cleanup, err := loadConfig(config.Loader{File: file})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	lex, tg, err := buildTagger(cfg, cfg.Lexicons)
	if err != nil {
		cleanup()
		return nil, nil, nil, nil, err
	}
	return cfg, lex, tg, cleanup, nil
}

// buildTagger loads the lexicon files (with the built-in lexicon when the
// config says so) and builds a tagger with the config's settings and the
// evidence that explanations need. Lexicons without dimensions are fine
// here: explaining and measuring an empty start is what a new lexicon does.
func buildTagger(cfg *config.Config, files []string) (*lexicon.Lexicon, *tagger.Tagger, error) {
	lex, err := loadLexicon(cfg, files)
	if err != nil {
		return nil, nil, err
	}
	tg, err := tagger.New(pipeline.TaggerConfig(cfg), lex)
	return lex, tg, err
}

// loadLexicon loads the lexicon files, with the built-in lexicon when the
// config says so; a lexicon without dimensions is fine (see buildTagger).
func loadLexicon(cfg *config.Config, files []string) (*lexicon.Lexicon, error) {
	lex, err := lexicon.LoadFiles(cfg.BuiltinLexicon, files...)
	if err != nil && !errors.Is(err, lexicon.ErrNoDimensions) {
		return nil, fmt.Errorf("%w: %w", pipeline.ErrLexicon, err)
	}
	return lex, nil
}

// eachLine calls f with each non-blank line of r.
func eachLine(r io.Reader, f func(string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			if err := f(line); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}
