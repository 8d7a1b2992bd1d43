package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/lexicon"
	"github.com/vocmine/vocmine/pipeline/partition"
	"github.com/vocmine/vocmine/pipeline/source"
	"github.com/vocmine/vocmine/tagger"
)

// The output side of issue 15: where a run writes, how it publishes and
// locks, what it leaves behind when killed or failed.

const pubLexicon = "dimensions:\n  - name: 网络/信号\n    terms: [信号]\n"

var pubDate = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// pubTagger is built once, from the first config: every config here has
// the same lexicon and tagger settings.
var (
	pubTaggerOnce sync.Once
	pubTagger     *tagger.Tagger
	pubTaggerErr  error
)

func pubTaggerFor(cfg *config.Config) (*tagger.Tagger, error) {
	pubTaggerOnce.Do(func() {
		var lex *lexicon.Lexicon
		if lex, pubTaggerErr = lexicon.LoadFiles(cfg.BuiltinLexicon, cfg.Lexicons...); pubTaggerErr == nil {
			pubTagger, pubTaggerErr = NewTagger(cfg, lex)
		}
	})
	return pubTagger, pubTaggerErr
}

// pubSetup writes a lexicon, the given input files and a config reading
// input (a glob) in a new folder, and returns the config (output in
// <dir>/out) and options logging into log.
func pubSetup(t *testing.T, files map[string]string, input, extra string) (*config.Config, Options, *bytes.Buffer) {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "lex.yaml"), []byte(pubLexicon), 0o644)
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	conf := filepath.Join(dir, "vocmine.yaml")
	os.WriteFile(conf, []byte("input:\n  path: "+input+"\n"+extra+"lexicons: [lex.yaml]\noutput:\n  dir: out\n  report: false\n"), 0o644)
	cfg, err := (&config.Loader{File: conf, Date: pubDate, LookupEnv: func(string) (string, bool) { return "", false }}).Load()
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	opt := Options{Log: slog.New(slog.NewTextHandler(&log, nil))}
	tg, err := pubTaggerFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	opt.Tagger = tg
	return cfg, opt, &log
}

const goodCSV = "id,score,text\nR1,9,信号很好\nR2,3,信号太差\nR3,7,还行\n"

// pubHashes lists each file below dir with its SHA-256.
func pubHashes(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		fmt.Fprintf(&b, "%s %x\n", strings.TrimPrefix(p, dir), sha256.Sum256(data))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestBeginRefusesOutputInsidePartition: output.dir checked at load time
// can still lead into a partition when the run starts (a link made or
// changed since): Begin resolves it again, logs the real path, and refuses
// (exit 78) without touching the published partition. Through a link to an
// ordinary folder the run writes, and the log names the real folder.
func TestBeginRefusesOutputInsidePartition(t *testing.T) {
	cfg, opt, log := pubSetup(t, map[string]string{"in.csv": goodCSV}, "in.csv", "")
	if _, err := Run(context.Background(), cfg, opt); err != nil {
		t.Fatal(err)
	}
	part := cfg.RunDir()
	before := pubHashes(t, part)
	root := filepath.Dir(cfg.Output.Dir)
	link := filepath.Join(root, "link")
	if err := os.Symlink(part, link); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{link, filepath.Join(link, "nested", "deeper")} {
		c := *cfg
		c.Output.Dir = dir
		c.Date = pubDate.AddDate(0, 0, 1)
		_, err := Run(context.Background(), &c, opt)
		if ExitCode(err) != ExitConfig || !strings.Contains(fmt.Sprint(err), "resolves into a run's partition") {
			t.Errorf("output.dir %s: exit %d (%v), want %d", dir, ExitCode(err), err, ExitConfig)
		}
		if after := pubHashes(t, part); after != before {
			t.Errorf("output.dir %s: the published partition changed:\n%s", dir, after)
		}
	}
	if entries, _ := os.ReadDir(part); len(entries) != len(strings.Split(strings.TrimSpace(before), "\n")) {
		t.Errorf("the published partition holds %d entries, want its %d files", len(entries), len(strings.Split(strings.TrimSpace(before), "\n")))
	}

	// A link to an ordinary folder: written, and logged by its real path.
	real := filepath.Join(root, "real-out")
	os.Mkdir(real, 0o755)
	os.Symlink(real, filepath.Join(root, "to-real"))
	c := *cfg
	c.Output.Dir = filepath.Join(root, "to-real")
	log.Reset()
	if _, err := Run(context.Background(), &c, opt); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("msg=writing partition=%q", filepath.Join(real, "_runs", "run_date=2026-12-01")); !strings.Contains(log.String(), want) {
		t.Errorf("log does not name the real partition %q:\n%s", want, log.String())
	}
}

// TestRunPublishedDespiteUnremovableOldRun: the run whose previous
// partition cannot be removed is published and succeeds (exit 0) with a
// warning naming the folder left; the next run removes it.
func TestRunPublishedDespiteUnremovableOldRun(t *testing.T) {
	cfg, opt, log := pubSetup(t, map[string]string{"in.csv": goodCSV}, "in.csv", "")
	if _, err := Run(context.Background(), cfg, opt); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(cfg.RunDir(), "theirs"), 0o755)
	j, err := Begin(cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	j.work.RemoveAll = func(path string) error { // as on a folder holding another owner's files
		return &fs.PathError{Op: "unlinkat", Path: filepath.Join(path, "theirs"), Err: syscall.EACCES}
	}
	_, err = runJob(context.Background(), j)
	j.End()
	if ExitCode(err) != ExitOK {
		t.Fatalf("exit %d (%v), want 0: the run is published", ExitCode(err), err)
	}
	left, _ := filepath.Glob(filepath.Join(cfg.Output.Dir, "_runs", ".old-*"))
	if len(left) != 1 || !strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), left[0]) {
		t.Errorf("left %v; log:\n%s\nwant a warning naming the folder left", left, log.String())
	}
	if _, err := os.Stat(filepath.Join(cfg.RunDir(), "theirs")); err == nil {
		t.Error("the partition is still the previous run")
	}
	if _, err := Run(context.Background(), cfg, opt); err != nil { // the owner fixed it
		t.Fatalf("next run: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Join(cfg.Output.Dir, "_runs"))
	if len(entries) != 2 {
		t.Errorf("_runs holds %v, want the lock file and the run", entries)
	}
}

// TestDeletedLockFile: a run holds the partition and its lock file is
// deleted: a second run must still find the partition locked (exit 75,
// naming the holder), not take it over and delete the live run's staging
// folder.
func TestDeletedLockFile(t *testing.T) {
	cfg, opt, _ := pubSetup(t, map[string]string{"in.csv": goodCSV}, "in.csv", "")
	a, err := Begin(cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer a.End()
	if err := os.Remove(filepath.Join(filepath.Dir(a.Partition), "."+filepath.Base(a.Partition)+".lock")); err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), cfg, opt)
	if ExitCode(err) != ExitTempFail || !strings.Contains(fmt.Sprint(err), fmt.Sprintf("pid %d on ", os.Getpid())) {
		t.Errorf("second run: exit %d (%v), want %d naming the holder", ExitCode(err), err, ExitTempFail)
	}
	if _, err := os.Stat(a.Staging); err != nil {
		t.Errorf("the live run's staging folder: %v", err)
	}
	if _, err := os.Stat(cfg.RunDir()); err == nil {
		t.Error("the locked-out run published")
	}
	if _, err := runJob(context.Background(), a); err != nil {
		t.Errorf("the holder: %v", err)
	}
	a.End()
	if _, err := Run(context.Background(), cfg, opt); err != nil {
		t.Errorf("after the holder ended: %v", err)
	}
}

// TestKilledRunTempFilesRemoved: the spilled duplicate ids live in the
// job's temporary folder beside the partition, not in TMPDIR, and what a
// killed run left there (and in its staging folder) is removed by the next
// run of the partition.
func TestKilledRunTempFilesRemoved(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,score,text\n")
	for i := range 300 {
		fmt.Fprintf(&b, "R%d,%d,信号%d\n", i, i%11, i)
	}
	cfg, opt, _ := pubSetup(t, map[string]string{"in.csv": b.String()}, "in.csv", "")
	var spilled []string
	opt.Fault = func(point string) {
		if point == "read" {
			spilled, _ = filepath.Glob(filepath.Join(cfg.Output.Dir, "_runs", ".tmp-run_date=2026-12-01-*", "vocmine-ids-*", "run-*"))
		}
	}
	j, err := Begin(cfg, opt)
	if err != nil {
		t.Fatal(err)
	}
	j.idMemCap = 16
	_, err = runJob(context.Background(), j)
	j.End()
	if err != nil {
		t.Fatal(err)
	}
	if len(spilled) == 0 {
		t.Error("no spilled ids in the job's temporary folder while reading")
	}

	// What a SIGKILL leaves: the temporary folder with its spills (its
	// flock gone with the process) and the staging folder.
	killed := []string{
		filepath.Join(cfg.Output.Dir, "_runs", ".tmp-run_date=2026-12-01-123", "vocmine-ids-1", "run-1"),
		filepath.Join(cfg.Output.Dir, "_runs", ".staging-run_date=2026-12-01-456", "responses.parquet"),
	}
	for _, p := range killed {
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	opt.Fault = nil
	if _, err := Run(context.Background(), cfg, opt); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Join(cfg.Output.Dir, "_runs"))
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 2 || names[0] != ".run_date=2026-12-01.lock" || names[1] != "run_date=2026-12-01" {
		t.Errorf("_runs holds %v after the next run, want the lock file and the run", names)
	}
}

// TestUnreadableInputKeepsFailed: an input that cannot be read (exit 65)
// leaves in _failed/run_date=.../ the rejects read until then and error.txt,
// naming the file and what each file had counted: README sends the
// engineer there for every exit 65.
func TestUnreadableInputKeepsFailed(t *testing.T) {
	cfg, opt, _ := pubSetup(t, map[string]string{
		"a.csv": "id,score,text\nR1,9,信号很好\nR2,99,信号太差\nR3,7,还行\n",
		"b.csv": "id,score,reason\nR4,9,好\n", // no text column
	}, `"*.csv"`, "  max_rejects: 10\n")
	_, err := Run(context.Background(), cfg, opt)
	if ExitCode(err) != ExitDataErr {
		t.Fatalf("exit %d (%v), want %d", ExitCode(err), err, ExitDataErr)
	}
	dir := filepath.Join(cfg.Output.Dir, partition.FailedDir, "run_date=2026-12-01")
	if !strings.Contains(err.Error(), dir) {
		t.Errorf("the error %q does not name %s", err, dir)
	}
	text, rerr := os.ReadFile(filepath.Join(dir, "error.txt"))
	if rerr != nil || !strings.Contains(string(text), "b.csv") || !strings.Contains(string(text), "a.csv: 3 = 2 + 1 + 0 + 0") {
		t.Errorf("error.txt (%v):\n%s\nwant the error naming b.csv and a.csv's counts", rerr, text)
	}
	rejects, rerr := os.ReadFile(filepath.Join(dir, "rejects.csv"))
	if rerr != nil || !strings.Contains(string(rejects), "score_out_of_scale") {
		t.Errorf("rejects.csv (%v):\n%s\nwant a.csv's reject", rerr, rejects)
	}
	if _, err := os.Stat(cfg.RunDir()); err == nil {
		t.Error("a failed run published")
	}
}

// TestRejectsBeforeAFatalRecordAreKept: the rejects of a batch that an
// unreadable record ends (here a record over input.max_record_bytes) are in
// _failed/.../rejects.csv, as error.txt counts them: nothing read is lost.
func TestRejectsBeforeAFatalRecordAreKept(t *testing.T) {
	cfg, opt, _ := pubSetup(t, map[string]string{
		"a.csv": "id,score,text\nR1,99,信号太差\nR2,9," + strings.Repeat("好", 400) + "\n",
	}, "a.csv", "  max_rejects: 10\n  max_record_bytes: 1024\n")
	_, err := Run(context.Background(), cfg, opt)
	if ExitCode(err) != ExitDataErr {
		t.Fatalf("exit %d (%v), want %d", ExitCode(err), err, ExitDataErr)
	}
	dir := filepath.Join(cfg.Output.Dir, partition.FailedDir, "run_date=2026-12-01")
	text, _ := os.ReadFile(filepath.Join(dir, "error.txt"))
	rejects, rerr := os.ReadFile(filepath.Join(dir, "rejects.csv"))
	if rerr != nil || !strings.Contains(string(rejects), "R1") || !strings.Contains(string(text), "a.csv: 1 = 0 + 1 + 0 + 0") {
		t.Errorf("error.txt:\n%s\nrejects.csv (%v):\n%s\nwant R1's reject, which error.txt counts", text, rerr, rejects)
	}
}

// TestEmptyFileAmongSeveral: an empty file (no header row) among the files
// a glob matches is a warning and a manifest entry with 0 rows, and the
// others publish; only when every file is empty does the run fail (66).
func TestEmptyFileAmongSeveral(t *testing.T) {
	cfg, opt, log := pubSetup(t, map[string]string{"a.csv": goodCSV, "b.csv": ""}, `"*.csv"`, "")
	m, err := Run(context.Background(), cfg, opt)
	if err != nil {
		t.Fatalf("exit %d (%v), want the other file published", ExitCode(err), err)
	}
	empty := sha256.Sum256(nil)
	if len(m.Inputs) != 2 || m.Inputs[1].Path != "b.csv" || !m.Inputs[1].Empty || m.Inputs[1].Counts != (partition.Counts{}) || m.Inputs[1].SHA256 != hex.EncodeToString(empty[:]) || m.Counts.Read != 3 {
		t.Errorf("manifest inputs %+v, counts %+v: want b.csv with 0 rows", m.Inputs, m.Counts)
	}
	if !strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), "b.csv") {
		t.Errorf("no warning naming b.csv:\n%s", log.String())
	}

	cfg, opt, _ = pubSetup(t, map[string]string{"a.csv": "\n\n", "b.csv": ""}, `"*.csv"`, "")
	if _, err := Run(context.Background(), cfg, opt); ExitCode(err) != ExitNoInput || !strings.Contains(err.Error(), "a.csv") || !strings.Contains(err.Error(), "b.csv") {
		t.Errorf("every file empty: exit %d (%v), want %d naming both", ExitCode(err), err, ExitNoInput)
	}
	cfg, opt, _ = pubSetup(t, map[string]string{"a.csv": ""}, "a.csv", "")
	if _, err := Run(context.Background(), cfg, opt); ExitCode(err) != ExitNoInput || !errors.Is(err, source.ErrEmptyFile) {
		t.Errorf("the one file empty: exit %d (%v), want %d", ExitCode(err), err, ExitNoInput)
	}
}
