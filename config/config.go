// Package config holds vocmine's one run configuration: its defaults, its
// loading from a YAML file, VOCMINE_* environment variables and command-line
// flags (in that rising order of precedence, through a local viper), and its
// validation. It imports no other vocmine package.
package config

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Config is everything one run needs.
type Config struct {
	Input    Input    `mapstructure:"input" json:"input"`
	Score    Score    `mapstructure:"score" json:"score"`
	Lexicons []string `mapstructure:"lexicons" json:"lexicons"`
	// BuiltinLexicon merges vocmine's general sentiment lexicon under the
	// user's lexicons (default true).
	BuiltinLexicon bool      `mapstructure:"builtin_lexicon" json:"builtin_lexicon"`
	Codes          Codes     `mapstructure:"codes" json:"codes"`
	Tagger         Tagger    `mapstructure:"tagger" json:"tagger"`
	Output         Output    `mapstructure:"output" json:"output"`
	Run            Run       `mapstructure:"run" json:"run"`
	Aggregate      Aggregate `mapstructure:"aggregate" json:"aggregate"`
	Report         Report    `mapstructure:"report" json:"report"`
	Alerts         Alerts    `mapstructure:"alerts" json:"alerts"`

	// File is the config file read, "" for none. Not a config key.
	File string `mapstructure:"-" json:"-"`
	// Date is the run date (the --date flag), which names the output
	// partition and replaces {date} in input.path. Not a config key.
	Date time.Time `mapstructure:"-" json:"-"`
}

// Input describes the survey export to read.
type Input struct {
	// Path is a file, or a glob; "{date}" is replaced by the run date
	// (YYYY-MM-DD). Files are read in name order.
	Path string `mapstructure:"path" json:"path"`
	// Format is csv, tsv, jsonl, parquet or xlsx; "" means by extension.
	Format string `mapstructure:"format" json:"format"`
	// Encoding of csv, tsv and jsonl: auto, utf-8 or gb18030.
	Encoding string `mapstructure:"encoding" json:"encoding"`
	// Sheet of an xlsx workbook; "" means the first.
	Sheet string `mapstructure:"sheet" json:"sheet"`
	// Column names.
	ID       string   `mapstructure:"id" json:"id"`
	Score    string   `mapstructure:"score" json:"score"`
	Text     string   `mapstructure:"text" json:"text"`
	Segments []string `mapstructure:"segments" json:"segments"`
	// Order names the column holding the order in which the scale was shown
	// ("" for none); OrderValues are its two values, ascending (0 to 10)
	// first. With it, the run writes order_test.parquet.
	Order       string   `mapstructure:"order" json:"order"`
	OrderValues []string `mapstructure:"order_values" json:"order_values"`
	// MaxTextBytes rejects longer reasons (default 10000).
	MaxTextBytes int `mapstructure:"max_text_bytes" json:"max_text_bytes"`
	// MaxRecordBytes bounds one record (a CSV record, a JSON line, an xlsx row); a longer
	// one fails its file, since the reader cannot resynchronize (default 1 MiB).
	MaxRecordBytes int `mapstructure:"max_record_bytes" json:"max_record_bytes"`
	// SpecialFiles reads inputs that are not regular files (a FIFO, a
	// device); they are refused otherwise, since a FIFO with no writer would
	// hold the night's run for ever.
	SpecialFiles bool `mapstructure:"special_files" json:"special_files"`
	// MaxRejects and MaxRejectRate are the error budget, a count and a
	// fraction of rows read: a run fails when its rejected rows exceed both
	// (either allowance is enough, so setting one suffices). The defaults
	// tolerate none, like BigQuery. Duplicates and filtered rows do not count.
	MaxRejects    int     `mapstructure:"max_rejects" json:"max_rejects"`
	MaxRejectRate float64 `mapstructure:"max_reject_rate" json:"max_reject_rate"`
	// Filter keeps the rows that pass every rule; the others are counted as
	// filtered (out of target), never rejected.
	Filter []FilterRule `mapstructure:"filter" json:"filter"`
}

// FilterRule keeps rows whose Column value is one of In, or drops rows
// whose value is one of NotIn. Values are compared after trimming spaces.
type FilterRule struct {
	Column string   `mapstructure:"column" json:"column"`
	In     []string `mapstructure:"in" json:"in,omitempty"`
	NotIn  []string `mapstructure:"not_in" json:"not_in,omitempty"`
}

// Run tunes how the job runs.
type Run struct {
	// Workers is how many goroutines tag in parallel; 0 means one per core.
	Workers int `mapstructure:"workers" json:"workers"`
	// MemoryLimitMB is the job's memory budget, a soft limit on the Go heap
	// (runtime/debug SetMemoryLimit): the heap grows up to it before the
	// collector runs (GOGC off, unless the GOGC variable is set), and the
	// collector works harder near it. 0 means none (Go's default pacing);
	// the GOMEMLIMIT environment variable, when set, wins.
	MemoryLimitMB int `mapstructure:"memory_limit_mb" json:"memory_limit_mb"`
}

// Score is the survey's metric, its scale and how scores map to the
// metric's three groups. Ranges are inclusive [low, high] pairs; only the
// metric's own group keys apply (see Metrics), and those a user leaves unset
// take the metric's defaults, as does an unset scale.
type Score struct {
	// Metric is nps, csat or ces.
	Metric       string `mapstructure:"metric" json:"metric"`
	Scale        []int  `mapstructure:"scale" json:"scale"`
	Promoter     []int  `mapstructure:"promoter" json:"promoter,omitempty"`
	Passive      []int  `mapstructure:"passive" json:"passive,omitempty"`
	Detractor    []int  `mapstructure:"detractor" json:"detractor,omitempty"`
	Satisfied    []int  `mapstructure:"satisfied" json:"satisfied,omitempty"`
	Neutral      []int  `mapstructure:"neutral" json:"neutral,omitempty"`
	Dissatisfied []int  `mapstructure:"dissatisfied" json:"dissatisfied,omitempty"`
	LowEffort    []int  `mapstructure:"low_effort" json:"low_effort,omitempty"`
	HighEffort   []int  `mapstructure:"high_effort" json:"high_effort,omitempty"`
}

// Metric is a survey metric: its default scale, its three groups, best
// first (the top group, the middle one, the bottom one), and their default
// ranges. The groups' names are fixed per metric: the tables name their
// rows and columns after them.
type Metric struct {
	Name   string
	Label  string // the headline's name for people: NPS, CSAT%, CES
	Scale  [2]int
	Groups [3]string
	Ranges [3][]int
}

// Metrics are the metrics vocmine knows. NPS: likelihood to recommend 0-10;
// CSAT: satisfaction 1-5, CSAT% is the share satisfied; CES: customer
// effort 1-7 on an agreement scale ("the company made it easy"), where 5-7
// is low effort.
var Metrics = map[string]Metric{
	"nps":  {"nps", "NPS", [2]int{0, 10}, [3]string{"promoter", "passive", "detractor"}, [3][]int{{9, 10}, {7, 8}, {0, 6}}},
	"csat": {"csat", "CSAT%", [2]int{1, 5}, [3]string{"satisfied", "neutral", "dissatisfied"}, [3][]int{{4, 5}, {3, 3}, {1, 2}}},
	"ces":  {"ces", "CES", [2]int{1, 7}, [3]string{"low_effort", "neutral", "high_effort"}, [3][]int{{5, 7}, {4, 4}, {1, 3}}},
}

// MetricScore returns a metric's default Score.
func MetricScore(metric string) Score {
	s := Score{Metric: metric}
	s.fill(func(string) bool { return false })
	return s
}

// ranges points at the Score's range fields of every group name.
func (s *Score) ranges() map[string]*[]int {
	return map[string]*[]int{"promoter": &s.Promoter, "passive": &s.Passive, "detractor": &s.Detractor,
		"satisfied": &s.Satisfied, "neutral": &s.Neutral, "dissatisfied": &s.Dissatisfied,
		"low_effort": &s.LowEffort, "high_effort": &s.HighEffort}
}

// fill gives the scale and the metric's group ranges their metric's
// defaults where set(key) says the user did not set them. An unknown
// metric is left for Validate.
func (s *Score) fill(set func(key string) bool) {
	m, ok := Metrics[s.Metric]
	if !ok {
		return
	}
	if !set("score.scale") {
		s.Scale = m.Scale[:]
	}
	r := s.ranges()
	for i, g := range m.Groups {
		if !set("score." + g) {
			*r[g] = slices.Clone(m.Ranges[i])
		}
	}
}

// Groups are the metric's group names: top, middle, bottom.
func (s Score) Groups() [3]string { return Metrics[s.Metric].Groups }

// GroupIndex returns the group of a score on the scale: 0 top, 1 middle,
// 2 bottom.
func (s Score) GroupIndex(score int) int {
	top, bottom := s.Promoter, s.Detractor
	switch s.Metric {
	case "csat":
		top, bottom = s.Satisfied, s.Dissatisfied
	case "ces":
		top, bottom = s.LowEffort, s.HighEffort
	}
	switch {
	case in(score, top):
		return 0
	case in(score, bottom):
		return 2
	}
	return 1
}

// Value is what one respondent of this score adds to the metric's headline,
// which is the mean of it: NPS counts a promoter 100 and a detractor -100;
// CSAT (CSAT%) a satisfied respondent 100; CES is the mean score.
func (s Score) Value(score int) float64 {
	switch {
	case s.Metric == "ces":
		return float64(score)
	case s.Metric == "nps" && s.GroupIndex(score) == 2:
		return -100
	case s.GroupIndex(score) == 0:
		return 100
	}
	return 0
}

// Codes are the numbers written per (response, dimension).
type Codes struct {
	Positive int `mapstructure:"positive" json:"positive"`
	Neutral  int `mapstructure:"neutral" json:"neutral"`
	Negative int `mapstructure:"negative" json:"negative"`
	Absent   int `mapstructure:"absent" json:"absent"`
}

// Tagger tunes tagging; see docs/LEXICON.md.
type Tagger struct {
	ContrastWeight float64 `mapstructure:"contrast_weight" json:"contrast_weight"`
	NegationWindow int     `mapstructure:"negation_window" json:"negation_window"`
	Dictionary     string  `mapstructure:"dictionary" json:"dictionary"`
	// Mode is gse's segmentation mode: segment (default) or dag.
	Mode string `mapstructure:"mode" json:"mode"`
	// Passing is what a dimension named without any opinion in a reason of
	// PassingClauses clauses or more gets: review (the reason's overall
	// polarity, default), neutral or drop.
	Passing        string `mapstructure:"passing" json:"passing"`
	PassingClauses int    `mapstructure:"passing_clauses" json:"passing_clauses"`
	// MixedSentiment, when above 0, makes a reason whose cues pull both ways
	// (the weaker side at least this share of the stronger) neutral overall.
	MixedSentiment float64 `mapstructure:"mixed_sentiment" json:"mixed_sentiment"`
	// CacheSize bounds the cache of recent reasons' tags, in entries over
	// all workers (default 20000; 0 turns it off).
	CacheSize int `mapstructure:"cache_size" json:"cache_size"`
}

// Aggregate tunes the summary tables.
type Aggregate struct {
	// MinSegment is the number of respondents below which an nps row is
	// flagged small (its margin of error is wide and its normal
	// approximation poor): shown, not hidden. Default 30.
	MinSegment int `mapstructure:"min_segment" json:"min_segment"`
	// By lists segment columns (of input.segments) whose every value also
	// gets mention rates: mention_rates_by_segment.parquet.
	By []string `mapstructure:"by" json:"by"`
}

// Output says where and how tables are written.
type Output struct {
	Dir         string `mapstructure:"dir" json:"dir"`
	Compression string `mapstructure:"compression" json:"compression"`
	// Report writes report.html into the run's folder (default true).
	Report bool `mapstructure:"report" json:"report"`
	// PartitionKey names the partition of every table and of the run's
	// folder: <table>/<key>=<date>/ (default run_date; dt, as many
	// warehouses name it).
	PartitionKey string `mapstructure:"partition_key" json:"partition_key"`
	// PartitionFormat writes the run date in the partition's name:
	// YYYY-MM-DD (default; engines read it as a DATE) or YYYYMMDD.
	PartitionFormat string `mapstructure:"partition_format" json:"partition_format"`
}

// Report shapes report.html.
type Report struct {
	// Lang is the language of the report's own words: en or zh.
	Lang string `mapstructure:"lang" json:"lang"`
}

// Alerts are the changes against a baseline run worth a person's attention:
// a headline change of at least ScoreChange (in the headline's units: NPS
// or CSAT% points, CES score points) or a mention rate change of at least
// RateChange (a fraction: 0.05 is 5 points), significant at Alpha.
type Alerts struct {
	ScoreChange float64 `mapstructure:"score_change" json:"score_change"`
	RateChange  float64 `mapstructure:"rate_change" json:"rate_change"`
	Alpha       float64 `mapstructure:"alpha" json:"alpha"`
	// FailOn makes `vocmine run` exit 3 after publishing when there are
	// alerts: "" or none (never, the default), any, or bad (a worse
	// headline, or a dimension more mentioned by the bottom group).
	FailOn string `mapstructure:"fail_on" json:"fail_on"`
	// Baseline is the run the changes and alerts are against: "" (none,
	// the default), "previous" (BaselinePrevious: the latest published run
	// of an earlier date in output.dir; none on the first night, a warning)
	// or a run's partition folder. The --baseline flag overrides it.
	Baseline string `mapstructure:"baseline" json:"baseline"`
}

// BaselinePrevious is the alerts.baseline value that means the latest
// published run before this one.
const BaselinePrevious = "previous"

// defaults are the values of every key no file, variable or flag sets. Every
// key must be here: viper only maps environment variables to keys it knows.
var defaults = map[string]any{
	"input.path":              "",
	"input.format":            "",
	"input.encoding":          "auto",
	"input.sheet":             "",
	"input.id":                "id",
	"input.score":             "score",
	"input.text":              "text",
	"input.segments":          []string{},
	"input.order":             "",
	"input.order_values":      []string{"asc", "desc"},
	"input.max_text_bytes":    10000,
	"input.max_record_bytes":  1 << 20,
	"input.special_files":     false,
	"input.max_rejects":       0,
	"input.max_reject_rate":   0.0,
	"input.filter":            []map[string]any{},
	"score.metric":            "nps",
	"score.scale":             []int{}, // the metric's (Metrics), as are the groups'
	"score.promoter":          []int{},
	"score.passive":           []int{},
	"score.detractor":         []int{},
	"score.satisfied":         []int{},
	"score.neutral":           []int{},
	"score.dissatisfied":      []int{},
	"score.low_effort":        []int{},
	"score.high_effort":       []int{},
	"lexicons":                []string{},
	"builtin_lexicon":         true,
	"codes.positive":          3,
	"codes.neutral":           2,
	"codes.negative":          1,
	"codes.absent":            2,
	"tagger.contrast_weight":  2.0,
	"tagger.negation_window":  3,
	"tagger.dictionary":       "zh_s_small",
	"tagger.mode":             "segment",
	"tagger.passing":          "review",
	"tagger.passing_clauses":  3,
	"tagger.mixed_sentiment":  0.0,
	"tagger.cache_size":       20000,
	"output.dir":              "vocmine-out",
	"output.compression":      "zstd",
	"output.report":           true,
	"output.partition_key":    "run_date",
	"output.partition_format": "YYYY-MM-DD",
	"report.lang":             "en",
	"alerts.score_change":     5.0,
	"alerts.rate_change":      0.05,
	"alerts.alpha":            0.05,
	"alerts.fail_on":          "",
	"alerts.baseline":         "",
	"run.workers":             0,
	"run.memory_limit_mb":     560,
	"aggregate.min_segment":   30,
	"aggregate.by":            []string{},
}

// Keys lists every config key, sorted.
func Keys() []string {
	keys := make([]string, 0, len(defaults))
	for k := range defaults {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// ErrInvalid marks a configuration that cannot run; the message names the
// key, and the file and line when the key came from a file. Exit 78.
var ErrInvalid = errors.New("invalid config")

// Validate checks the values together. Errors name the config keys.
func (c *Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, &KeyError{Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	if c.Input.Path == "" {
		bad("input.path", "no input: set input.path, VOCMINE_INPUT_PATH or --input")
	}
	switch c.Input.Format {
	case "", "csv", "tsv", "jsonl", "parquet", "xlsx":
	default:
		bad("input.format", "%q: want csv, tsv, jsonl, parquet or xlsx", c.Input.Format)
	}
	switch strings.ToLower(c.Input.Encoding) {
	case "auto", "utf-8", "utf8", "gb18030", "gbk":
	default:
		bad("input.encoding", "%q: want auto, utf-8 or gb18030", c.Input.Encoding)
	}
	for key, col := range map[string]string{"input.id": c.Input.ID, "input.score": c.Input.Score, "input.text": c.Input.Text} {
		if strings.TrimSpace(col) == "" {
			bad(key, "column name is empty")
		}
	}
	if len(c.Input.OrderValues) != 2 || c.Input.OrderValues[0] == c.Input.OrderValues[1] {
		bad("input.order_values", "%v: want two different values, ascending first", c.Input.OrderValues)
	}
	if c.Input.MaxTextBytes <= 0 {
		bad("input.max_text_bytes", "must be positive, not %d", c.Input.MaxTextBytes)
	}
	if c.Input.MaxRecordBytes < 1024 {
		bad("input.max_record_bytes", "must be at least 1024, not %d", c.Input.MaxRecordBytes)
	}
	if c.Input.MaxRejects < 0 {
		bad("input.max_rejects", "must not be negative")
	}
	if c.Input.MaxRejectRate < 0 || c.Input.MaxRejectRate > 1 {
		bad("input.max_reject_rate", "%g: want a fraction from 0 to 1", c.Input.MaxRejectRate)
	}
	for i, f := range c.Input.Filter {
		switch {
		case strings.TrimSpace(f.Column) == "":
			bad("input.filter", "rule %d: no column", i+1)
		case (len(f.In) == 0) == (len(f.NotIn) == 0):
			bad("input.filter", "rule %d (%s): give exactly one of in or not_in", i+1, f.Column)
		}
	}
	if c.Output.Dir != "" {
		if _, err := ResolveOutputDir(c.Output.Dir); err != nil {
			bad("output.dir", "%v", err)
		}
	}
	c.validateScore(bad)
	if len(c.Lexicons) == 0 {
		bad("lexicons", "no lexicon: list at least one lexicon file with dimensions")
	}
	if c.Output.Dir == "" {
		bad("output.dir", "empty")
	}
	switch c.Output.Compression {
	case "zstd", "snappy", "gzip", "none", "uncompressed":
	default:
		bad("output.compression", "%q: want zstd, snappy, gzip or none", c.Output.Compression)
	}
	if !partitionKey.MatchString(c.Output.PartitionKey) {
		bad("output.partition_key", "%q: want a lower-case name (letters, digits, _; a letter first), such as run_date or dt", c.Output.PartitionKey)
	}
	if _, ok := partitionLayouts[c.Output.PartitionFormat]; !ok {
		bad("output.partition_format", "%q: want YYYY-MM-DD or YYYYMMDD", c.Output.PartitionFormat)
	}
	if c.Report.Lang != "en" && c.Report.Lang != "zh" {
		bad("report.lang", "%q: want en or zh", c.Report.Lang)
	}
	switch c.Alerts.FailOn {
	case "", "none", "any", "bad":
	default:
		bad("alerts.fail_on", "%q: want none, any or bad", c.Alerts.FailOn)
	}
	if b := c.Alerts.Baseline; b != strings.TrimSpace(b) || b != BaselinePrevious && strings.EqualFold(strings.TrimSpace(b), BaselinePrevious) {
		bad("alerts.baseline", "%q: want \"\", %s or a run's partition folder", b, BaselinePrevious)
	}
	if c.Alerts.ScoreChange < 0 || c.Alerts.RateChange < 0 || c.Alerts.Alpha <= 0 || c.Alerts.Alpha > 1 {
		bad("alerts", "score_change and rate_change must not be negative, alpha must be in (0, 1]")
	}
	switch c.Tagger.Mode {
	case "segment", "dag":
	default:
		bad("tagger.mode", "%q: want segment or dag", c.Tagger.Mode)
	}
	// The tagger's own list (tagger.Dictionaries); config stays free of gse.
	if dicts := []string{"zh_s_small", "zh_s", "zh"}; !slices.Contains(dicts, c.Tagger.Dictionary) {
		bad("tagger.dictionary", "%q: want one of %s", c.Tagger.Dictionary, strings.Join(dicts, ", "))
	}
	if p := c.Tagger.Passing; p != "review" && p != "neutral" && p != "drop" {
		bad("tagger.passing", "%q: want review, neutral or drop", p)
	}
	if m := c.Tagger.MixedSentiment; m < 0 || m > 1 {
		bad("tagger.mixed_sentiment", "want a share between 0 and 1, not %g", m)
	}
	if c.Tagger.PassingClauses < 1 {
		bad("tagger.passing_clauses", "must be at least 1, not %d", c.Tagger.PassingClauses)
	}
	if c.Tagger.ContrastWeight <= 0 {
		bad("tagger.contrast_weight", "must be positive, not %g", c.Tagger.ContrastWeight)
	}
	if c.Tagger.CacheSize < 0 {
		bad("tagger.cache_size", "must not be negative")
	}
	if c.Tagger.NegationWindow < 0 {
		bad("tagger.negation_window", "must not be negative")
	}
	for _, b := range c.Aggregate.By {
		if !slices.Contains(c.Input.Segments, b) {
			bad("aggregate.by", "%q is not one of input.segments %v", b, c.Input.Segments)
		}
	}
	if c.Aggregate.MinSegment < 0 {
		bad("aggregate.min_segment", "must not be negative")
	}
	if c.Run.MemoryLimitMB < 0 {
		bad("run.memory_limit_mb", "must not be negative")
	}
	if c.Run.Workers < 0 {
		bad("run.workers", "must not be negative")
	}
	return errors.Join(errs...)
}

// ResolveOutputDir returns the real path of output.dir (symbolic links
// resolved, the nearest existing ancestor's when it does not exist yet) and
// an error when that path lies inside a run's partition: a publish writes
// whole partitions, so a rerun of the outer date would delete what a run
// writes there. Inside a partition means that the folder itself or one of
// its ancestors is named run_date=..., is a run's work folder (.staging-...,
// .old-run_date=..., .tmp-run_date=...), or is a published partition renamed
// by hand: it holds _SUCCESS, or manifest.json beside rejects.parquet (every
// run writes both; a manifest.json alone is too common a name to refuse).
// The check is on the real path, not the text: a symlink or "." from inside
// a partition resolve there. When the path cannot be resolved (a permission
// error), the absolute path is checked as written, and the run fails later
// on the I/O.
func ResolveOutputDir(dir string) (string, error) {
	real, err := realPath(dir)
	if err != nil {
		if real, err = filepath.Abs(dir); err != nil {
			return dir, nil
		}
	}
	for a := real; ; a = filepath.Dir(a) {
		base := filepath.Base(a)
		why := ""
		switch {
		case PartitionDate(base) != "":
			why = "a run's partition folder (" + base + ")"
		case base == RunsDir:
			why = "the runs' folder of an output.dir"
		case strings.HasPrefix(base, ".staging-"), strings.HasPrefix(base, ".old-"), strings.HasPrefix(base, ".tmp-"):
			why = "a run's work folder"
		case exists(filepath.Join(a, "_SUCCESS")):
			why = "a published partition (it holds _SUCCESS)"
		case exists(filepath.Join(a, "manifest.json")) && exists(filepath.Join(a, "rejects.parquet")):
			why = "a run's partition (it holds manifest.json and rejects.parquet)"
		}
		if why != "" {
			shown := ""
			if real != filepath.Clean(dir) {
				shown = fmt.Sprintf(" (real path %s)", real)
			}
			return real, fmt.Errorf("%q%s resolves into a run's partition: %s is %s; output.dir must be the folder above the partitions", dir, shown, a, why)
		}
		if parent := filepath.Dir(a); parent == a {
			return real, nil
		}
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// realPath is filepath.EvalSymlinks, made absolute, for a path that may not
// exist yet: the nearest existing ancestor is resolved and the rest of the
// path appended; a dangling symbolic link is followed by hand, since
// creating the folder would create its target.
func realPath(p string) (string, error) {
	if !filepath.IsAbs(p) {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		p = wd + string(filepath.Separator) + p // not Join: ".." must be resolved after the links
	}
	for hops := 0; hops < 64; hops++ {
		r, err := filepath.EvalSymlinks(p)
		if err == nil {
			return r, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		// Walk up the path as written to the nearest name that exists.
		head, rest := strings.TrimRight(p, "/"), ""
		for {
			fi, err := os.Lstat(head)
			if err != nil {
				i := strings.LastIndexByte(head, '/')
				if i <= 0 {
					return filepath.Clean(p), nil // nothing but the root exists
				}
				head, rest = head[:i], head[i+1:]+"/"+rest
				continue
			}
			if fi.Mode()&fs.ModeSymlink == 0 {
				r, err := filepath.EvalSymlinks(head)
				if err != nil {
					return "", err
				}
				next := r + "/" + rest
				if !strings.Contains(rest, "..") {
					return filepath.Clean(next), nil
				}
				p = next // a ".." after a missing name: resolve again
			} else {
				target, err := os.Readlink(head)
				if err != nil {
					return "", err
				}
				if !filepath.IsAbs(target) {
					target = head[:strings.LastIndexByte(head, '/')+1] + target
				}
				p = target + "/" + rest
			}
			break
		}
	}
	return "", fmt.Errorf("%s: too many symbolic links", p)
}

func (c *Config) validateScore(bad func(key, format string, args ...any)) {
	m, ok := Metrics[c.Score.Metric]
	if !ok {
		bad("score.metric", "%q: want nps, csat or ces", c.Score.Metric)
		return
	}
	pair := func(key string, r []int) bool {
		if len(r) != 2 || r[0] > r[1] {
			bad(key, "%v: want [low, high] with low <= high", r)
			return false
		}
		return true
	}
	for g, r := range c.Score.ranges() {
		if len(*r) > 0 && !slices.Contains(m.Groups[:], g) {
			bad("score."+g, "is not a group of score.metric %s: its groups are score.%s, score.%s and score.%s", m.Name, m.Groups[0], m.Groups[1], m.Groups[2])
		}
	}
	if !pair("score.scale", c.Score.Scale) {
		return
	}
	lo, hi := c.Score.Scale[0], c.Score.Scale[1]
	if hi-lo > 100 {
		bad("score.scale", "%v: at most 101 points", c.Score.Scale)
		return
	}
	covered := make([]string, hi-lo+1)
	for i, g := range m.Groups {
		key, r := "score."+g, *c.Score.ranges()[g]
		if len(r) == 0 && i == 1 {
			continue // a scale may have no middle group
		}
		if !pair(key, r) {
			continue
		}
		if r[0] < lo || r[1] > hi {
			bad(key, "%v is outside score.scale %v", r, c.Score.Scale)
			continue
		}
		for s := r[0]; s <= r[1]; s++ {
			if covered[s-lo] != "" {
				bad(key, "%v overlaps %s at score %d", r, covered[s-lo], s)
				break
			}
			covered[s-lo] = key
		}
	}
	for i, k := range covered {
		if k == "" {
			bad("score", "score %d of scale %v is in no group: %s, %s and %s must cover the scale", lo+i, c.Score.Scale, m.Groups[0], m.Groups[1], m.Groups[2])
			break
		}
	}
}

// Group returns the name of the group of a score on the scale: for NPS
// "promoter", "passive" or "detractor".
func (s Score) Group(score int) string { return s.Groups()[s.GroupIndex(score)] }

func in(v int, r []int) bool { return len(r) == 2 && r[0] <= v && v <= r[1] }

// InputPath returns input.path with {date} replaced by the run date.
func (c *Config) InputPath() string {
	return strings.ReplaceAll(c.Input.Path, "{date}", c.Date.Format(time.DateOnly))
}

// RunsDir is the folder of output.dir that holds each run's own files
// (manifest.json, _SUCCESS, report.html, alerts.json, rejects.csv); each
// table is a folder of its own beside it (docs/OUTPUTS.md).
const RunsDir = "_runs"

// partitionKey is what output.partition_key may be: a name every engine
// takes as a column, and not hidden ("_" or "." first) from the readers.
var partitionKey = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// partitionLayouts are the output.partition_format values, as Go layouts.
var partitionLayouts = map[string]string{"YYYY-MM-DD": time.DateOnly, "YYYYMMDD": "20060102"}

// Partition is the name of the run's partition in every table folder and
// in RunsDir: output.partition_key=the run date in output.partition_format,
// run_date=YYYY-MM-DD by default.
func (c *Config) Partition() string {
	key, layout := cmp.Or(c.Output.PartitionKey, "run_date"), cmp.Or(partitionLayouts[c.Output.PartitionFormat], time.DateOnly)
	return key + "=" + c.Date.Format(layout)
}

// PartitionDate is the run date a partition's name gives (Partition's
// inverse for any key and either format), "" for a name that is not one.
func PartitionDate(name string) string {
	key, value, ok := strings.Cut(name, "=")
	if !ok || !partitionKey.MatchString(key) {
		return ""
	}
	for _, layout := range partitionLayouts {
		if d, err := time.Parse(layout, value); err == nil {
			return d.Format(time.DateOnly)
		}
	}
	return ""
}

// RunDir is the run's folder: <output.dir>/_runs/run_date=YYYY-MM-DD. Its
// tables are <output.dir>/<table>/run_date=YYYY-MM-DD/part-00000.parquet.
func (c *Config) RunDir() string { return filepath.Join(c.Output.Dir, RunsDir, c.Partition()) }

// KeyError is a problem with one config key.
type KeyError struct {
	Key string
	// Where the value came from, when known: "config.yaml:12", "VOCMINE_X".
	Where string
	Msg   string
}

func (e *KeyError) Error() string {
	if e.Where != "" {
		return fmt.Sprintf("%s: %s: %s", e.Where, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Key, e.Msg)
}
