package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/report"
	"github.com/vocmine/vocmine/pipeline/source"
)

func reportCommand() *cobra.Command {
	var configFile, run, baseline, out string
	cmd := &cobra.Command{
		Use:   "report --run DIR [--baseline previous|DIR] [--out FILE]",
		Short: "Render a finished run as one self-contained HTML file (charts, verbatims, alerts)",
		Long: `Report renders the published run DIR (<output.dir>/_runs/run_date=YYYY-MM-DD)
as report.html: the headline with its margin and change, what each group talks
about, drivers, segments, verbatims, coverage and the scale-order test, with
alerts against --baseline (another run's partition, or "previous": the latest
published run before this one in the same output folder) on top. The file needs no
network to open and prints to A4. vocmine run writes the same report into the
partition (output.report). The config (--config) gives report.lang and the
alert thresholds; the metric and groups are the run's own. With a baseline,
alerts.json is written beside the report.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if run == "" {
				return usageError{errors.New("--run is required")}
			}
			if _, err := os.Stat(filepath.Join(run, "_SUCCESS")); err != nil {
				return fmt.Errorf("%w: %s is not a published run (no _SUCCESS)", source.ErrNoInput, run)
			}
			cfg, cleanup, err := loadConfig(config.Loader{File: configFile})
			if err != nil {
				return err
			}
			defer cleanup()
			m, err := partition.ReadManifest(run)
			if err != nil {
				return fmt.Errorf("%w: %w", source.ErrInput, err)
			}
			log := slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			if baseline, err = partition.ResolveBaseline(log, partition.OutputDir(run), m.RunDate, baseline); err != nil {
				return err
			}
			d, err := report.Load(run, cfg, report.Options{Baseline: baseline, Manifest: m})
			if err != nil {
				return err
			}
			if out == "" {
				out = filepath.Join(run, report.File)
			}
			if err := d.WriteTo(out); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d alerts\n", out, len(d.Alerts))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&configFile, "config", "", "config file: report.lang, alerts.* (default: the embedded example's)")
	f.StringVar(&run, "run", "", "the run's folder: <output.dir>/_runs/run_date=YYYY-MM-DD")
	f.StringVar(&baseline, "baseline", "", `"previous" (the latest published run before --run's date, beside it) or a run's folder, for changes and alerts (alerts.baseline does not apply: without the flag, the run's own changes.parquet)`)
	f.StringVar(&out, "out", "", "the HTML file to write (default DIR/report.html); alerts.json goes beside it")
	return cmd
}
