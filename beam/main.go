// Command vocmine-beam runs vocmine's nightly job on Apache Beam: prism
// (in-process, offline) here, Flink, Spark or Dataflow beyond. Same config
// file, same flags where they apply, same partition: docs/SCALE.md.
//
//	vocmine-beam --config survey.yaml [--input F] [--out DIR] [--date D] [--baseline previous|DIR] [--shards N] [--runner prism|flink|spark|dataflow ...]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"
	"github.com/spf13/pflag"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/report"
)

func main() {
	var (
		configFile = flag.String("config", "", "config file (required)")
		input      = flag.String("input", "", "input file or glob (input.path)")
		out        = flag.String("out", "", "output folder (output.dir)")
		date       = flag.String("date", "", "run date YYYY-MM-DD (default today)")
		baseline   = flag.String("baseline", "", `alerts.baseline: "previous" (the latest published run before --date) or a run's partition folder: changes.parquet and alerts`)
		shards     = flag.Int("shards", 16, "tagging shards: row table files per table before the commit joins them")
		cpuProfile = flag.String("cpuprofile", "", "write a CPU profile of the driver process (with prism, the whole pipeline) to this file")
	)
	flag.CommandLine.Init("vocmine-beam", flag.ContinueOnError)
	if err := flag.CommandLine.Parse(os.Args[1:]); errors.Is(err, flag.ErrHelp) {
		os.Exit(pipeline.ExitOK)
	} else if err != nil {
		os.Exit(pipeline.ExitUsage) // the flag package has printed why
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "vocmine-beam: %v\n", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	beam.Init()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := exitCode(ctx, run(ctx, log, *configFile, *input, *out, *date, *baseline, *shards))
	stop()
	pprof.StopCPUProfile()
	os.Exit(code)
}

// exitCode prints err and maps it to vocmine run's exit code for it
// (pipeline.Exit, docs/RELIABILITY.md), once.
func exitCode(ctx context.Context, err error) int {
	if err != nil {
		fmt.Fprintf(os.Stderr, "vocmine-beam: %v\n", err)
	}
	return pipeline.Exit(ctx, err)
}

func run(ctx context.Context, log *slog.Logger, file, input, out, date, baseline string, shards int) error {
	if file == "" {
		return fmt.Errorf("%w: --config is required", config.ErrInvalid)
	}
	day := time.Now()
	if date != "" {
		var err error
		if day, err = time.ParseInLocation(time.DateOnly, date, time.Local); err != nil {
			return fmt.Errorf("%w: --date %q: want YYYY-MM-DD", config.ErrInvalid, date)
		}
	}
	// The same precedence as vocmine run: flag > environment > file > default.
	fs := pflag.NewFlagSet("vocmine-beam", pflag.ContinueOnError)
	fs.String("input", "", "")
	fs.String("out", "", "")
	fs.String("baseline", "", "")
	if input != "" {
		fs.Set("input", input)
	}
	if out != "" {
		fs.Set("out", out)
	}
	if baseline != "" {
		fs.Set("baseline", baseline)
	}
	cfg, err := (&config.Loader{File: file, Date: day, Flags: fs, FlagKeys: map[string]string{"input": "input.path", "out": "output.dir", "baseline": "alerts.baseline"}}).Load()
	if err != nil {
		return err
	}
	var alerts []report.Alert
	opt := pipeline.Options{Log: log, Version: "vocmine-beam", Fault: pipeline.FaultPoint(ctx, os.Stderr)}
	if cfg.Output.Report || cfg.Alerts.Baseline != "" {
		opt.Report = report.Hook(cfg, log, &alerts)
	}
	m, err := Run(ctx, cfg, opt, shards, func(ctx context.Context, p *beam.Pipeline) error { return beamx.Run(ctx, p) })
	if err != nil {
		return err
	}
	fmt.Printf("%s: %d respondents, %s %.1f, %d read = %d accepted + %d rejected + %d duplicates + %d filtered\n",
		cfg.RunDir(), m.Respondents, config.Metrics[m.Metric].Label, m.Score, m.Counts.Read, m.Counts.Accepted, m.Counts.Rejected, m.Counts.Duplicates, m.Counts.Filtered)
	return report.FailOn(cfg, alerts)
}
