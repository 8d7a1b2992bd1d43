// Command vocmine turns the free-text reasons of Chinese customer surveys
// into Parquet tables: `vocmine run` is the nightly job.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/examples"
	"github.com/vocmine/vocmine/examples/synth"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/report"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := exitCode(ctx, run(ctx, os.Args[1:], os.Stdout, os.Stderr), os.Stderr)
	stop() // after exitCode, which asks ctx whether a signal ended the run
	os.Exit(code)
}

// exitCode prints err and maps it to the exit code, once
// (pipeline.Exit; 64 for a usage error).
func exitCode(ctx context.Context, err error, stderr io.Writer) int {
	if err == nil {
		return pipeline.ExitOK
	}
	fmt.Fprintf(stderr, "vocmine: %v\n", err)
	if usage := (usageError{}); ctx.Err() == nil && errors.As(err, &usage) {
		return pipeline.ExitUsage
	}
	return pipeline.Exit(ctx, err)
}

type usageError struct{ error }

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v := bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
		return v
	}
	return "devel"
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	root := &cobra.Command{
		Use:           "vocmine",
		Short:         "Turn the free-text reasons of Chinese customer surveys into Parquet tables",
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.SetVersionTemplate("vocmine {{.Version}}\n") // the first line of `vocmine version`
	root.AddCommand(runCommand(stderr), initCommand(), genCommand(), explainCommand(), lexiconCommand(), trendCommand(), reportCommand(), versionCommand())
	err := root.ExecuteContext(ctx)
	if err != nil && strings.HasPrefix(err.Error(), "unknown command") {
		return usageError{err}
	}
	return err
}

func runCommand(stderr io.Writer) *cobra.Command {
	var (
		configFile, date, logFormat, cpuProfile string
		allowFailingExamples                    bool
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the nightly job: read, clean, tag, aggregate, publish Parquet tables",
		Long: `Run reads the survey export named by input.path, tags every reason with the
lexicons' dimensions, and publishes each table into <output.dir>/<table>/run_date=YYYY-MM-DD/ and the
run's manifest, report and rejects.csv into <output.dir>/_runs/run_date=YYYY-MM-DD/.
With no --config it runs the embedded telecom example and writes ./vocmine-out.

Every config key can also be set by an environment variable (output.dir is
VOCMINE_OUTPUT_DIR); precedence is flag > environment > file > default.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log, err := newLogger(stderr, logFormat)
			if err != nil {
				return usageError{err}
			}
			if cpuProfile != "" {
				stop, err := startCPUProfile(cpuProfile)
				if err != nil {
					return err
				}
				defer stop()
			}
			day := time.Now()
			if date != "" {
				if day, err = time.ParseInLocation(time.DateOnly, date, time.Local); err != nil {
					return usageError{fmt.Errorf("--date %q: want YYYY-MM-DD", date)}
				}
			}
			if configFile == "" {
				log.Info("no --config: running the embedded telecom example")
			}
			cfg, cleanup, err := loadConfig(config.Loader{File: configFile, Flags: cmd.Flags(), Date: day,
				FlagKeys: map[string]string{"input": "input.path", "out": "output.dir", "workers": "run.workers", "baseline": "alerts.baseline"}})
			if err != nil {
				return err
			}
			defer cleanup()
			memoryBudget(cfg.Run.MemoryLimitMB)
			opt := pipeline.Options{Log: log, Version: version(), Fault: pipeline.FaultPoint(cmd.Context(), stderr), AllowFailingExamples: allowFailingExamples}
			if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) && logFormat == "text" {
				opt.Progress = progressBar(stderr)
			} else {
				opt.Progress = progressLog(log)
			}
			var alerts []report.Alert
			if cfg.Output.Report || cfg.Alerts.Baseline != "" {
				opt.Report = report.Hook(cfg, log, &alerts)
			}
			m, err := pipeline.Run(cmd.Context(), cfg, opt)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d respondents, %s %.1f, %d read = %d accepted + %d rejected + %d duplicates + %d filtered\n",
				cfg.RunDir(), m.Respondents, config.Metrics[m.Metric].Label, m.Score, m.Counts.Read, m.Counts.Accepted, m.Counts.Rejected, m.Counts.Duplicates, m.Counts.Filtered)
			return report.FailOn(cfg, alerts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&configFile, "config", "", "config file (default: the embedded telecom example)")
	f.StringVar(&date, "date", "", "run date YYYY-MM-DD: names the output partition and fills {date} in input.path (default today)")
	f.String("input", "", "input file or glob (input.path)")
	f.String("out", "", "output folder (output.dir)")
	f.Int("workers", 0, "tagging goroutines (run.workers; default one per core)")
	f.StringVar(&logFormat, "log-format", "text", "text or json (structured logs for schedulers)")
	f.String("baseline", "", `alerts.baseline: "previous" (the latest published run before --date; none on the first night: a warning) or a run's folder (<output.dir>/_runs/run_date=...): also write changes.parquet against it`)
	f.BoolVar(&allowFailingExamples, "allow-failing-examples", false, "publish even if the lexicons' own examples fail (logged as a warning)")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file (go tool pprof)")
	return cmd
}

// startCPUProfile profiles the process into path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func genCommand() *cobra.Command {
	var o synth.Options
	var out, goldOut string
	cmd := &cobra.Command{
		Use:   "gen --rows N --out FILE",
		Short: "Write a synthetic telecom NPS survey (CSV) for benchmarks, matching the example lexicon",
		Long: `gen writes a realistic synthetic survey export: respondent_id, q1 (0-10), q2_reason,
gender, age_band, member_level, region, channel. Reasons follow the score, mix negation,
contrast and several dimensions, and match examples/telecom/lexicon.yaml. With --dup-rate 0
every reason is unique; real surveys repeat many ("无", "信号差"). The same seed writes the
same file. Run it with: vocmine run --config examples/telecom/config.yaml --input FILE
--gold FILE also writes each reason's labels (respondent_id,dimension,polarity: the
aspects its phrases were drawn for), for vocmine lexicon eval --gold.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.Rows <= 0 || o.DupRate < 0 || o.DupRate > 1 {
				return usageError{fmt.Errorf("--rows must be positive and --dup-rate in [0, 1]")}
			}
			f, err := os.Create(out)
			if err != nil {
				return err
			}
			w := bufio.NewWriterSize(f, 1<<20)
			var g *os.File
			if goldOut != "" {
				if g, err = os.Create(goldOut); err != nil {
					f.Close()
					return err
				}
				o.Gold = g
			}
			err = synth.Write(w, o)
			err = errors.Join(err, w.Flush(), f.Close())
			if g != nil {
				err = errors.Join(err, g.Close())
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d rows\n", out, o.Rows)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Rows, "rows", 100000, "rows to write")
	f.StringVar(&goldOut, "gold", "", "also write the reasons' labels (respondent_id,dimension,polarity) to this CSV")
	f.StringVar(&out, "out", "survey.csv", "output file")
	f.Uint64Var(&o.Seed, "seed", 1, "random seed")
	f.Float64Var(&o.DupRate, "dup-rate", 0, "share of rows repeating an earlier reason (0: all unique)")
	f.IntSliceVar(&o.Scale, "scale", nil, "write q1 on this scale, low,high (e.g. 1,5 for CSAT), rescaled from 0-10")
	return cmd
}

func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

// progressBar draws one line on a terminal: rows, rows/s and an ETA from the
// share of input bytes read.
func progressBar(w io.Writer) func(pipeline.Progress) {
	return func(p pipeline.Progress) {
		rate := float64(p.Rows) / max(p.Elapsed.Seconds(), 1e-9)
		frac := 0.0
		if p.TotalBytes > 0 {
			frac = min(1, float64(p.Bytes)/float64(p.TotalBytes))
		}
		const width = 30
		bar := strings.Repeat("=", int(frac*width)) + strings.Repeat(" ", width-int(frac*width))
		eta := "?"
		if frac > 0 {
			eta = (time.Duration(p.Elapsed.Seconds()*(1-frac)/frac) * time.Second).Round(time.Second).String()
		}
		fmt.Fprintf(w, "\r[%s] %3.0f%%  %d rows  %.0f rows/s  ETA %s ", bar, 100*frac, p.Rows, rate, eta)
		if frac >= 1 {
			fmt.Fprintln(w)
		}
	}
}

// progressLog logs progress at most every 10 seconds, for log files.
func progressLog(log *slog.Logger) func(pipeline.Progress) {
	var last time.Time
	return func(p pipeline.Progress) {
		if time.Since(last) < 10*time.Second {
			return
		}
		last = time.Now()
		log.Info("progress", "rows", p.Rows, "rows_per_second", int(float64(p.Rows)/max(p.Elapsed.Seconds(), 1e-9)), "bytes", p.Bytes, "total_bytes", p.TotalBytes)
	}
}

// memoryBudget sets the Go heap's soft limit to limitMB unless GOMEMLIMIT is
// set, and, unless GOGC is set, lets the heap use that budget before
// collecting (GOGC off under a limit, the Go GC guide's setting for a process
// that owns its memory): collecting at every doubling of a small live heap
// cost ~15% of a 1M-row run (docs/BENCHMARKS.md).
func memoryBudget(limitMB int) {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && limitMB > 0 {
		debug.SetMemoryLimit(int64(limitMB) << 20)
	}
	if _, set := os.LookupEnv("GOGC"); !set && debug.SetMemoryLimit(-1) != math.MaxInt64 {
		debug.SetGCPercent(-1)
	}
}

// loadConfig loads ld's config; with no file, the embedded telecom example's,
// unpacked into a temporary folder that cleanup removes.
func loadConfig(ld config.Loader) (cfg *config.Config, cleanup func(), err error) {
	cleanup = func() {}
	if ld.File == "" {
		dir, err := os.MkdirTemp("", "vocmine-example-")
		if err != nil {
			return nil, nil, err
		}
		cleanup = func() { os.RemoveAll(dir) }
		if err := os.CopyFS(dir, examples.FS); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("unpacking the embedded example: %w", err)
		}
		ld.File = filepath.Join(dir, "telecom", "config.yaml")
	}
	if cfg, err = ld.Load(); err != nil {
		cleanup()
		return nil, nil, err
	}
	return cfg, cleanup, nil
}

func trendCommand() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "trend --out DIR",
		Short: "Stack the headline rows (nps, csat or ces) of every published run into DIR/_trend/trend.parquet",
		Long: `Trend reads nps.parquet (csat.parquet, ces.parquet) of every published partition under DIR (the
output.dir of the runs: _runs/run_date=YYYY-MM-DD with _SUCCESS) and writes
them, with a run_date column, oldest first, to DIR/_trend/trend.parquet (a
folder readers of the partitions skip). Rerun it after each run.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{errors.New("--out is required")}
			}
			path, runs, err := partition.Trend(out)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d runs\n", path, runs)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "output.dir of the runs")
	return cmd
}
