package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	"github.com/parquet-go/parquet-go"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/examples/synth"
	"github.com/vocmine/vocmine/internal/exampletest"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/aggregate"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/report"
	"github.com/vocmine/vocmine/pipeline/table"
)

func prismExecute(ctx context.Context, p *beam.Pipeline) error {
	_, err := prism.Execute(ctx, p)
	return err
}

// exampleConfig unpacks the embedded example and loads its config, with
// mention rates per region and the gender column standing in for a
// scale-order column, so that every table is written.
func exampleConfig(t *testing.T) *config.Config {
	cfg := exampletest.Config(t)
	cfg.Aggregate.By = []string{"region"}
	cfg.Input.Order, cfg.Input.OrderValues = "gender", []string{"男", "女"}
	return cfg
}

// both runs cfg natively and on Beam (prism) into two output folders and
// returns the two partitions and manifests.
func both(t *testing.T, cfg *config.Config, opt func() pipeline.Options) (native, onBeam string, mn, mb *partition.Manifest) {
	t.Helper()
	out := t.TempDir()
	cfg.Output.Dir = filepath.Join(out, "native")
	mn, err := pipeline.Run(context.Background(), cfg, opt())
	if err != nil {
		t.Fatal(err)
	}
	native = cfg.RunDir()
	cfg.Output.Dir = filepath.Join(out, "beam")
	start := time.Now()
	if mb, err = Run(context.Background(), cfg, opt(), 8, prismExecute); err != nil {
		t.Fatal(err)
	}
	t.Logf("beam on prism: %d rows in %v", mb.Counts.Read, time.Since(start))
	return native, cfg.RunDir(), mn, mb
}

func read[T any](t *testing.T, path string) []T {
	t.Helper()
	rows, err := parquet.ReadFile[T](path)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// sameTable: a summary table is the same, row for row.
func sameTable[T any](t *testing.T, a, b, name string) {
	t.Helper()
	ra, rb := read[T](t, table.Path(a, name)), read[T](t, table.Path(b, name))
	if len(ra) == 0 || !reflect.DeepEqual(ra, rb) {
		t.Errorf("%s differs (%d native rows, %d beam rows)", name, len(ra), len(rb))
		for i := range min(len(ra), len(rb)) {
			if !reflect.DeepEqual(ra[i], rb[i]) {
				t.Errorf("first difference, row %d:\nnative %+v\nbeam   %+v", i, ra[i], rb[i])
				break
			}
		}
	}
}

// rowsOf decodes every row of a Parquet file, whatever its schema, to a
// string, sorted.
func rowsOf(t *testing.T, path string) (schema string, rows []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	r := parquet.NewReader(pf)
	defer r.Close()
	buf := make([]parquet.Row, 256)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			var b strings.Builder
			for _, v := range row {
				fmt.Fprintf(&b, "%d:%d:%d:%s|", v.Column(), v.RepetitionLevel(), v.DefinitionLevel(), v.String())
			}
			rows = append(rows, b.String())
		}
		if err != nil {
			break
		}
	}
	slices.Sort(rows)
	return pf.Schema().String(), rows
}

// sameRows: a row table holds the same rows, in any order, under the same
// schema.
func sameRows(t *testing.T, a, b, name string) {
	t.Helper()
	sa, ra := rowsOf(t, table.Path(a, name))
	sb, rb := rowsOf(t, table.Path(b, name))
	if sa != sb {
		t.Errorf("%s: schemas differ:\n%s\n%s", name, sa, sb)
	}
	if !slices.Equal(ra, rb) {
		t.Errorf("%s: %d native rows, %d beam rows, not the same", name, len(ra), len(rb))
	}
}

func compare(t *testing.T, native, onBeam string, mn, mb *partition.Manifest) {
	t.Helper()
	if !reflect.DeepEqual(mn.Counts, mb.Counts) || !reflect.DeepEqual(mn.Inputs, mb.Inputs) || mn.LexiconVersion != mb.LexiconVersion || !reflect.DeepEqual(mn.Tables, mb.Tables) {
		t.Errorf("manifests differ:\nnative %+v %+v %v\nbeam   %+v %+v %v", mn.Counts, mn.Inputs, mn.Tables, mb.Counts, mb.Inputs, mb.Tables)
	}
	sameTable[aggregate.ScoreRow](t, native, onBeam, "nps.parquet")
	sameTable[aggregate.MentionRateRow](t, native, onBeam, "mention_rates.parquet")
	sameTable[aggregate.SegmentRateRow](t, native, onBeam, "mention_rates_by_segment.parquet")
	sameTable[aggregate.DriverRow](t, native, onBeam, "drivers.parquet")
	sameTable[aggregate.OrderTestRow](t, native, onBeam, "order_test.parquet")
	sameTable[aggregate.VerbatimRow](t, native, onBeam, "verbatims.parquet")
	sameTable[aggregate.GroupCoverage](t, native, onBeam, "coverage.parquet")
	sameTable[aggregate.Candidate](t, native, onBeam, "candidates.parquet")
	for _, name := range []string{"responses.parquet", "codes.parquet", "mentions.parquet", "rejects.parquet"} {
		sameRows(t, native, onBeam, name)
	}
	a, _ := os.ReadFile(filepath.Join(native, "rejects.csv"))
	b, _ := os.ReadFile(filepath.Join(onBeam, "rejects.csv"))
	if !bytes.Equal(a, b) {
		t.Errorf("rejects.csv differs:\n%s\n%s", a, b)
	}
	for _, p := range []string{native, onBeam} {
		if _, err := os.Stat(filepath.Join(p, "_SUCCESS")); err != nil {
			t.Errorf("%s not published: %v", p, err)
		}
	}
	files := func(run string) []string { // the run's files and tables, relative to its output.dir
		out := partition.OutputDir(run)
		var names []string
		filepath.WalkDir(out, func(path string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				rel, _ := filepath.Rel(out, path)
				names = append(names, rel)
			}
			return nil
		})
		return names
	}
	if na, nb := files(native), files(onBeam); len(na) == 0 || !slices.Equal(na, nb) {
		t.Errorf("the runs hold different files:\nnative %q\nbeam   %q", na, nb)
	}
}

// TestExampleOnPrism: the embedded example (rejects, duplicates, filtered
// rows included) on Beam gives the native run's tables, against a baseline
// run too (changes.parquet, alerts.json) and with the report written.
func TestExampleOnPrism(t *testing.T) {
	cfg := exampleConfig(t)
	var b bytes.Buffer
	if err := synth.Write(&b, synth.Options{Rows: 3000, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	example, base := cfg.Input.Path, filepath.Join(t.TempDir(), "base.csv")
	os.WriteFile(base, b.Bytes(), 0o644)
	cfg.Input.Path, cfg.Output.Dir, cfg.Date = base, t.TempDir(), cfg.Date.AddDate(0, -1, 0)
	if _, err := pipeline.Run(context.Background(), cfg, pipeline.Options{}); err != nil {
		t.Fatal(err)
	}
	baseline := cfg.RunDir()
	cfg.Input.Path, cfg.Date = example, cfg.Date.AddDate(0, 1, 0)
	var alerts []report.Alert
	opt := func() pipeline.Options {
		return pipeline.Options{Baseline: baseline, Report: report.Hook(cfg, slog.New(slog.DiscardHandler), &alerts)}
	}
	native, onBeam, mn, mb := both(t, cfg, opt)
	compare(t, native, onBeam, mn, mb)
	sameTable[aggregate.ChangeRow](t, native, onBeam, "changes.parquet")
	a, _ := os.ReadFile(filepath.Join(native, report.AlertsFile))
	c, _ := os.ReadFile(filepath.Join(onBeam, report.AlertsFile))
	if len(alerts) == 0 || !bytes.Equal(a, c) {
		t.Errorf("alerts.json differs or is empty:\n%s\n%s", a, c)
	}
}

// TestGenerated200kOnPrism: 200,000 generated rows with the example's
// blemishes (bad rows, duplicate ids, test-channel rows).
func TestGenerated200kOnPrism(t *testing.T) {
	if testing.Short() {
		t.Skip("200k rows")
	}
	cfg := exampleConfig(t)
	var b bytes.Buffer
	if err := synth.Write(&b, synth.Options{Rows: 200000, Seed: 9, DupRate: 0.3, Blemishes: true}); err != nil {
		t.Fatal(err)
	}
	cfg.Input.Path = filepath.Join(t.TempDir(), "survey.csv")
	if err := os.WriteFile(cfg.Input.Path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	native, onBeam, mn, mb := both(t, cfg, func() pipeline.Options { return pipeline.Options{} })
	if mn.Counts.Duplicates == 0 || mn.Counts.Rejected == 0 || mn.Counts.Filtered == 0 {
		t.Errorf("the generated file should have duplicates, rejects and filtered rows: %+v", mn.Counts)
	}
	compare(t, native, onBeam, mn, mb)
}

func TestMain(m *testing.M) {
	beam.Init()
	dir, err := os.MkdirTemp("", "vocmine-beam-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "vocmine-beam")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building vocmine-beam: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestExitCodes: vocmine-beam fails as vocmine run does, with its codes.
func TestExitCodes(t *testing.T) {
	cfg := exampleConfig(t)
	log := slog.New(slog.DiscardHandler)
	for _, tc := range []struct {
		file, input string
		code        int
	}{
		{"", "", pipeline.ExitConfig},
		{filepath.Join(t.TempDir(), "none.yaml"), "", pipeline.ExitConfig},
		{cfg.File, filepath.Join(t.TempDir(), "none-*.csv"), pipeline.ExitNoInput},
	} {
		err := run(context.Background(), log, tc.file, tc.input, t.TempDir(), "2026-11-01", "", 4)
		if got := pipeline.ExitCode(err); got != tc.code {
			t.Errorf("%q %q: exit %d (%v), want %d", tc.file, tc.input, got, err, tc.code)
		}
	}
}

// TestAlertsFailOn: vocmine-beam applies alerts.fail_on as vocmine run
// does: a published run whose alerts fail it exits 3 (it exited 0).
func TestAlertsFailOn(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lex.yaml"), []byte("dimensions:\n  - name: 网络/信号\n    terms: [信号]\n"), 0o644)
	survey := func(name string, scores ...int) string {
		rows := []string{"id,score,text"}
		for i := range 40 {
			rows = append(rows, fmt.Sprintf("R%d,%d,信号一般", i, scores[i%len(scores)]))
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(strings.Join(rows, "\n")+"\n"), 0o644)
		return p
	}
	base, worse := survey("base.csv", 10, 0), survey("worse.csv", 0)
	log := slog.New(slog.DiscardHandler)
	for _, failOn := range []string{"none", "bad"} {
		conf := filepath.Join(dir, failOn+".yaml")
		os.WriteFile(conf, []byte("input:\n  path: base.csv\nlexicons: [lex.yaml]\noutput:\n  dir: out\nalerts:\n  fail_on: "+failOn+"\n"), 0o644)
		out := filepath.Join(dir, "out-"+failOn)
		if err := run(context.Background(), log, conf, base, out, "2026-10-01", "", 2); err != nil {
			t.Fatal(err)
		}
		err := run(context.Background(), log, conf, worse, out, "2026-11-01", filepath.Join(out, "_runs", "run_date=2026-10-01"), 2)
		want := pipeline.ExitOK
		if failOn == "bad" {
			want = pipeline.ExitAlerts
		}
		if got := pipeline.ExitCode(err); got != want {
			t.Errorf("fail_on %s: exit %d (%v), want %d", failOn, got, err, want)
		}
		if _, serr := os.Stat(filepath.Join(out, "_runs", "run_date=2026-11-01", "alerts.json")); serr != nil {
			t.Errorf("fail_on %s: the run with alerts was not published: %v", failOn, serr)
		}
	}
}

// TestBaselinePrevious: vocmine-beam --baseline previous resolves as vocmine
// run does: the first night publishes with a warning and no changes.parquet,
// a later night compares with the latest published run before it, and a
// named baseline that does not exist exits 66.
func TestBaselinePrevious(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lex.yaml"), []byte("dimensions:\n  - name: 网络/信号\n    terms: [信号]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "in.csv"), []byte("id,score,text\nR1,9,信号好\nR2,3,信号差\n"), 0o644)
	conf := filepath.Join(dir, "c.yaml")
	os.WriteFile(conf, []byte("input:\n  path: in.csv\nlexicons: [lex.yaml]\noutput:\n  dir: out\n"), 0o644)
	out := filepath.Join(dir, "out")
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	if err := run(context.Background(), log, conf, "", "", "2026-10-01", "previous", 2); err != nil {
		t.Fatalf("first night: %v", err)
	}
	if !strings.Contains(logs.String(), "no published run before this one") {
		t.Errorf("first night: no warning:\n%s", logs.String())
	}
	if _, err := os.Stat(table.Path(filepath.Join(out, "_runs", "run_date=2026-10-01"), "changes.parquet")); !os.IsNotExist(err) {
		t.Errorf("first night wrote changes.parquet (%v)", err)
	}
	os.MkdirAll(filepath.Join(out, "_runs", "run_date=2026-10-09"), 0o755) // unpublished
	if err := run(context.Background(), log, conf, "", "", "2026-10-10", "previous", 2); err != nil {
		t.Fatalf("tenth night: %v", err)
	}
	rows, err := parquet.ReadFile[aggregate.ChangeRow](table.Path(filepath.Join(out, "_runs", "run_date=2026-10-10"), "changes.parquet"))
	if err != nil || len(rows) == 0 || rows[0].BaselineDate != "2026-10-01" {
		t.Errorf("tenth night: changes.parquet %d rows (%v), want against 2026-10-01: %+v", len(rows), err, rows)
	}
	missing := filepath.Join(out, "_runs", "run_date=2026-09-01")
	err = run(context.Background(), log, conf, "", "", "2026-10-11", missing, 2)
	if pipeline.ExitCode(err) != pipeline.ExitNoInput || err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("a missing named baseline: exit %d (%v), want 66 naming %s", pipeline.ExitCode(err), err, missing)
	}
}

// TestEmptyFileOnPrism: an input file with no header row among several is
// counted with 0 rows and the others publish, on Beam as natively (Beam
// failed the run); when every file is empty both exit 66.
func TestEmptyFileOnPrism(t *testing.T) {
	cfg := exampleConfig(t)
	dir := t.TempDir()
	data, err := os.ReadFile(cfg.InputPath())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "a.csv"), data, 0o644)
	os.WriteFile(filepath.Join(dir, "b.csv"), nil, 0o644)
	cfg.Input.Path = filepath.Join(dir, "*.csv")
	native, onBeam, mn, mb := both(t, cfg, func() pipeline.Options { return pipeline.Options{} })
	compare(t, native, onBeam, mn, mb)
	if len(mb.Inputs) != 2 || !mb.Inputs[1].Empty || mb.Inputs[1].Counts != (partition.Counts{}) || mb.Counts.Read == 0 {
		t.Errorf("beam's manifest inputs %+v: want b.csv empty with 0 rows beside a.csv", mb.Inputs)
	}
	os.WriteFile(filepath.Join(dir, "a.csv"), []byte("\n\n"), 0o644)
	cfg.Output.Dir = t.TempDir()
	_, nerr := pipeline.Run(context.Background(), cfg, pipeline.Options{})
	_, berr := Run(context.Background(), cfg, pipeline.Options{}, 4, prismExecute)
	for name, err := range map[string]error{"native": nerr, "beam": berr} {
		if pipeline.ExitCode(err) != pipeline.ExitNoInput || !strings.Contains(fmt.Sprint(err), "b.csv") {
			t.Errorf("%s, every file empty: exit %d (%v), want %d naming the files", name, pipeline.ExitCode(err), err, pipeline.ExitNoInput)
		}
	}
}
