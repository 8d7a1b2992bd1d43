package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/vocmine/vocmine/config"
	"github.com/vocmine/vocmine/examples"
	"github.com/vocmine/vocmine/pipeline"
	"github.com/vocmine/vocmine/pipeline/source"
)

// industries are the lexicons `vocmine init --industry` starts from, in
// examples.Lexicons.
var industries = map[string]string{
	"telecom":    "telecom/lexicon.yaml",
	"restaurant": "dianping/lexicon.yaml",
	"ecommerce":  "ecommerce/lexicon.yaml",
}

type initOptions struct {
	input, industry, out, sheet string
	sample                      int
}

func initCommand() *cobra.Command {
	var o initOptions
	cmd := &cobra.Command{
		Use:   "init --input EXPORT [--industry telecom|restaurant|ecommerce] [--out FILE]",
		Short: "Write a first config and lexicon for a survey export, guessed from its header and a sample",
		Long: `Init reads the header and the first --sample rows of a survey export (csv,
tsv, jsonl, xlsx or parquet), guesses its id, score, text and segment columns,
its encoding and its scale (NPS 0-10, CSAT 1-5, CES 1-7), and writes a
commented config (--out, default vocmine.yaml) and a starter lexicon beside it
(lexicon.yaml, copied from the --industry example), then prints the next three
commands. It prints the reason for each guess: check them. It never overwrites
a file (exit 64: choose another --out, or remove the files).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runInit(cmd.Context(), o, cmd.OutOrStdout())
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.input, "input", "", "the survey export: csv, tsv, jsonl, xlsx or parquet")
	f.StringVar(&o.industry, "industry", "telecom", "starter lexicon: telecom, restaurant or ecommerce")
	f.StringVar(&o.out, "out", "vocmine.yaml", "config file to write; lexicon.yaml goes beside it")
	f.StringVar(&o.sheet, "sheet", "", "xlsx: the sheet (default the first)")
	f.IntVar(&o.sample, "sample", 1000, "rows to read for the guesses (at most)")
	return cmd
}

// column is what the sample says of one column. Memory is bounded by the
// sample's size: a hash per distinct value and a few short values.
type column struct {
	name     string
	filled   int                 // rows with a value (not only spaces)
	distinct map[uint64]struct{} // hashes of the values
	ints     int                 // values that are whole numbers, as a score is read
	counts   [11]int             // how many of those are 0, 1 ... 10: the scales' points
	runes    int                 // characters, over the filled values
	han      int                 // values holding a Chinese character
	maxBytes int                 // the longest value
	values   []string            // the first few distinct values, for the reasons
}

func (c *column) avgRunes() float64 { return float64(c.runes) / float64(max(c.filled, 1)) }

// hashSeed makes the distinct-value hashes of one process comparable.
var hashSeed = maphash.MakeSeed()

func (c *column) add(v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	c.filled++
	h := maphash.String(hashSeed, v)
	if _, seen := c.distinct[h]; !seen {
		c.distinct[h] = struct{}{}
		if len(c.values) < 5 {
			c.values = append(c.values, truncateRunes(v, 20))
		}
	}
	if n, ok := pipeline.ParseScore(v, -1e9, 1e9); ok { // a whole number, as a run reads a score
		c.ints++
		if n >= 0 && n < len(c.counts) {
			c.counts[n]++
		}
	}
	c.runes += utf8.RuneCountInString(v)
	c.maxBytes = max(c.maxBytes, len(v))
	if strings.ContainsFunc(v, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		c.han++
	}
}

// oneLine is text with every character YAML may read as a line break (CR,
// LF, NEL, LS, PS) and every other control character as a space, so that a
// comment stays one comment.
func oneLine(text string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, text)
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// sample is what init read of an export.
type sample struct {
	format        string
	columns       []*column
	rows          int    // read, not counting unreadable ones
	encoding, why string // of a text format; "" otherwise
}

// readSample reads the header and at most n rows of path.
func readSample(ctx context.Context, path string, o source.Options, n int) (*sample, error) {
	header, err := source.Header(ctx, path, o)
	if err != nil {
		return nil, err
	}
	s := &sample{format: strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")}
	if header == nil { // jsonl: the keys of the sampled lines, in order of appearance
		s.format = "jsonl"
		seen := map[string]bool{}
		lines := 0
		_, _, err := eachRow(ctx, path, o, func(rec source.Record, rerr *source.RecordError) bool {
			if lines == n {
				return true
			}
			if rerr == nil {
				header = jsonKeys(rec.Fields[0], seen, header)
				lines++
			}
			return false
		})
		if err != nil {
			return nil, err
		}
	}
	seen := map[string]bool{}
	for _, h := range header {
		if h != "" && !seen[h] { // a repeated name reads as its first column
			seen[h] = true
			s.columns = append(s.columns, &column{name: h, distinct: map[uint64]struct{}{}})
			o.Columns = append(o.Columns, h)
		}
	}
	if len(s.columns) == 0 {
		return nil, fmt.Errorf("%w: %s: no column names in the header or the first %d rows", source.ErrInput, path, n)
	}
	enc, why, err := eachRow(ctx, path, o, func(rec source.Record, rerr *source.RecordError) bool {
		if s.rows == n {
			return true
		}
		if rerr == nil { // a row a run rejects as unreadable: rejects counts it
			s.rows++
			for i, v := range rec.Values {
				s.columns[i].add(v)
			}
		}
		return false
	})
	if s.rows > 0 {
		s.encoding, s.why = enc, why
	}
	return s, err
}

// errEnough ends eachRow's loop once its caller has the rows it wants.
var errEnough = errors.New("enough rows")

// eachRow calls f with each row of path in file order, as pipeline.EachRow
// gives them, until f says it has enough; it returns the encoding the
// source read the file in, and why.
func eachRow(ctx context.Context, path string, o source.Options, f func(source.Record, *source.RecordError) (enough bool)) (enc, why string, err error) {
	src, err := source.Open(ctx, path, o)
	if err != nil {
		return "", "", err
	}
	defer src.Close()
	err = pipeline.EachRow(src, func(rec source.Record, rerr *source.RecordError) error {
		if f(rec, rerr) {
			return errEnough
		}
		return nil
	})
	if errors.Is(err, errEnough) {
		err = nil
	}
	enc, why = src.Encoding()
	return enc, why, err
}

// jsonKeys appends to keys the top-level keys of the JSON object line that
// seen does not hold yet, in the line's order (a Go map would lose it).
func jsonKeys(line string, seen map[string]bool, keys []string) []string {
	dec := json.NewDecoder(strings.NewReader(line))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return keys
	}
	for dec.More() && len(keys) < 10000 {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		if k, _ := t.(string); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// A guess is a column chosen for a role, and why.
type guess struct {
	col *column
	why string
}

// guesses are the columns and the score's metric init proposes.
type guesses struct {
	id, score, text guess
	segments        []guess
	metric          string
}

// Name hints: lower-cased substrings of column names.
var (
	idNames      = []string{"编号", "序号", "respondent", "答卷", "订单号", "工单号", "用户号"}
	timeNames    = []string{"时间", "日期", "time", "date"}
	scoreNames   = []string{"评分", "打分", "分数", "得分", "推荐", "满意", "星级", "费力", "容易", "score", "nps", "csat", "ces", "rating", "recommend", "satisf", "effort", "q1"}
	textNames    = []string{"原因", "理由", "意见", "建议", "评价", "反馈", "为什么", "内容", "描述", "说明", "备注", "reason", "comment", "feedback", "why", "text", "review", "verbatim"}
	metricNames  = map[string][]string{"nps": {"推荐", "nps", "recommend"}, "csat": {"满意", "星级", "csat", "satisf", "star"}, "ces": {"费力", "容易", "省力", "ces", "effort"}}
	segmentNames = []string{"地区", "区域", "省", "城市", "渠道", "性别", "年龄", "等级", "会员", "套餐", "品类", "类别", "门店", "region", "channel", "gender", "age", "level", "city", "segment", "category", "store"}
)

func named(name string, hints []string) bool {
	name = strings.ToLower(name)
	return slices.ContainsFunc(hints, func(h string) bool { return strings.Contains(name, h) })
}

func isIDName(name string) bool {
	l := strings.ToLower(name)
	return l == "id" || strings.HasSuffix(l, "id") || named(name, idNames)
}

// scaleFit is how many of the column's values lie on the metric's scale,
// and the lowest and highest of them.
func (c *column) scaleFit(metric string) (n, lo, hi int) {
	sc := config.Metrics[metric].Scale
	lo, hi = sc[1], sc[0]
	for v := sc[0]; v <= sc[1]; v++ {
		if c.counts[v] > 0 {
			n += c.counts[v]
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	return n, lo, hi
}

// points is how many points of the 0-10 scale the column's values use.
func (c *column) points() (n int) {
	for _, k := range c.counts {
		if k > 0 {
			n++
		}
	}
	return n
}

// metricOf is the metric of a score column: the one its name suggests when
// nearly all its values fit that scale, else the narrowest scale that holds
// nearly all of those on the widest (the scales nest: CSAT 1-5 in CES 1-7
// in NPS 0-10). A few values off the scale are rows a run rejects.
func (c *column) metricOf() (metric string, byName bool) {
	all, _, _ := c.scaleFit("nps")
	for _, m := range []string{"nps", "csat", "ces"} {
		if n, _, _ := c.scaleFit(m); named(c.name, metricNames[m]) && n*100 >= all*98 {
			return m, true
		}
	}
	for _, m := range []string{"csat", "ces"} {
		if n, _, _ := c.scaleFit(m); n*100 >= all*98 {
			return m, false
		}
	}
	return "nps", false
}

// guess proposes the columns of a config, or says why it cannot.
func (s *sample) guess(path string) (*guesses, error) {
	g := &guesses{}
	names := make([]string, len(s.columns))
	for i, c := range s.columns {
		names[i] = c.name
	}
	// The score: whole numbers on a scale of one of the metrics in nearly
	// every filled row; a score-like name, then repeated values (an id
	// that counts rows has none), then the leftmost column.
	best := -100
	for _, c := range s.columns {
		// Two values are a label, not a scale, unless the name says a
		// score (a sorted export may begin with its promoters).
		fit, _, _ := c.scaleFit("nps")
		enough := c.points() >= 3 || c.points() == 2 && named(c.name, scoreNames)
		if c.filled == 0 || fit*10 < c.filled*9 || !enough {
			continue
		}
		m, byName := c.metricOf()
		rank := 0
		if named(c.name, scoreNames) {
			rank += 2
		}
		if isIDName(c.name) {
			rank -= 2
		}
		if len(c.distinct) < c.filled {
			rank++
		}
		if rank > best {
			best, g.metric = rank, m
			fit, lo, hi := c.scaleFit(m)
			why := fmt.Sprintf("integers %d–%d in %d of %d sampled rows: %s", lo, hi, fit, s.rows, strings.ToUpper(m))
			if sc := config.Metrics[m].Scale; sc != [2]int{lo, hi} {
				why += fmt.Sprintf(", scale %d–%d", sc[0], sc[1])
			}
			if byName {
				why += ", as its name says"
			}
			g.score = guess{c, why}
		}
	}
	if g.score.col == nil {
		return nil, fmt.Errorf("%w: %s: no column looks like a score: none holds whole numbers 0–10 (NPS), 1–5 (CSAT) or 1–7 (CES), three of them at least (two in a column named like a score), in 9 of 10 of the %d sampled rows (columns: %s); write the config by hand (README: Running your own survey)",
			source.ErrInput, path, s.rows, strings.Join(names, ", "))
	}
	// The text: the longest values, Chinese ones first, a reason-like name
	// counting double.
	bestText := 0.0
	for _, c := range s.columns {
		if c == g.score.col || c.filled == 0 || c.ints*2 >= c.filled {
			continue
		}
		w := c.avgRunes() * (0.1 + float64(c.han)/float64(c.filled))
		if named(c.name, textNames) {
			w *= 2
		}
		if w > bestText {
			bestText = w
			why := fmt.Sprintf("the longest text: %.1f characters on average, Chinese in %d of %d sampled rows", c.avgRunes(), c.han, s.rows)
			if named(c.name, textNames) {
				why = fmt.Sprintf("its name says a reason; %.1f characters on average, Chinese in %d of %d sampled rows", c.avgRunes(), c.han, s.rows)
			}
			g.text = guess{c, why}
		}
	}
	if g.text.col == nil {
		return nil, fmt.Errorf("%w: %s: no column holds text (columns: %s)", source.ErrInput, path, strings.Join(names, ", "))
	}
	// The id: a value in (nearly) every row, each different; an id-like
	// name, then one with no Chinese, then the leftmost.
	best = -100
	for _, c := range s.columns {
		if c == g.score.col || c == g.text.col || c.filled*100 < s.rows*95 || len(c.distinct) < c.filled {
			continue
		}
		rank := 0
		if isIDName(c.name) {
			rank += 2
		}
		if named(c.name, timeNames) {
			rank -= 2
		}
		if c.han == 0 {
			rank++
		}
		if rank > best {
			best = rank
			why := fmt.Sprintf("a different value in each of the %d sampled rows", s.rows)
			if c.filled < s.rows {
				why = fmt.Sprintf("a different value in %d of %d sampled rows, %d empty", c.filled, s.rows, s.rows-c.filled)
			}
			if isIDName(c.name) {
				why += "; its name says an id"
			}
			g.id = guess{c, why}
		}
	}
	if g.id.col == nil {
		return nil, fmt.Errorf("%w: %s: no column holds a different value in every sampled row, to be the respondent id (columns: %s); add one to the export (问卷星 and 腾讯问卷 write 序号)",
			source.ErrInput, path, strings.Join(names, ", "))
	}
	// Segments: short text values, few and repeated, in most rows.
	for _, c := range s.columns {
		d := len(c.distinct)
		if c == g.score.col || c == g.text.col || c == g.id.col || c.filled*2 < s.rows || c.ints*2 >= c.filled ||
			d < 2 || d > 20 || d*2 > c.filled || c.avgRunes() > 20 || named(c.name, timeNames) || len(g.segments) == 8 {
			continue
		}
		why := fmt.Sprintf("%d values: %s", d, strings.Join(c.values, ", "))
		if d > len(c.values) {
			why += ", …"
		}
		g.segments = append(g.segments, guess{c, why})
	}
	return g, nil
}

// rejects runs the first n records through the run's Cleaner with the
// guessed columns: what a run would reject of them, by reason.
func rejects(ctx context.Context, path string, o source.Options, n int, g *guesses, maxText int) (out map[string]int, read int, err error) {
	o.Columns = []string{g.id.col.name, g.score.col.name, g.text.col.name}
	for _, s := range g.segments {
		o.Columns = append(o.Columns, s.col.name)
	}
	score := config.MetricScore(g.metric)
	cl := pipeline.Cleaner{Columns: o.Columns, Segments: len(g.segments), ScaleLow: score.Scale[0], ScaleHigh: score.Scale[1], MaxTextBytes: maxText, Group: score.Group}
	out = map[string]int{}
	_, _, err = eachRow(ctx, path, o, func(rec source.Record, rerr *source.RecordError) bool {
		if read == n {
			return true
		}
		read++
		if rerr != nil {
			out[rerr.Reason]++
		} else if _, r := cl.Clean(rec); r != nil {
			out[r.Reason]++
		}
		return false
	})
	if err != nil {
		return nil, 0, err
	}
	return out, read, nil
}

func runInit(ctx context.Context, o initOptions, stdout io.Writer) error {
	lexFile, ok := industries[o.industry]
	switch {
	case o.input == "":
		return usageError{errors.New("--input is required: the survey export to start from")}
	case !ok:
		return usageError{fmt.Errorf("--industry %q: want telecom, restaurant or ecommerce", o.industry)}
	case o.sample <= 0:
		return usageError{errors.New("--sample must be positive")}
	}
	lexOut := filepath.Join(filepath.Dir(o.out), "lexicon.yaml")
	if filepath.Clean(o.out) == lexOut {
		return usageError{fmt.Errorf("--out %s: that is the lexicon's name; name the config otherwise", o.out)}
	}
	for _, p := range []string{o.out, lexOut} {
		if _, err := os.Lstat(p); err == nil {
			return usageError{fmt.Errorf("%s exists: init does not overwrite it; remove it, or write elsewhere with --out DIR/vocmine.yaml (the lexicon goes beside the config)", p)}
		}
	}
	opts := source.Options{Encoding: "auto", Sheet: o.sheet}
	s, err := readSample(ctx, o.input, opts, o.sample)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %w", source.ErrNoInput, err)
		}
		if ctx.Err() == nil && !errors.Is(err, source.ErrInput) {
			err = fmt.Errorf("%w: %w", source.ErrInput, err)
		}
		return err
	}
	if s.rows == 0 {
		return fmt.Errorf("%w: %s: no row to guess from after the header", source.ErrNoInput, o.input)
	}
	g, err := s.guess(o.input)
	if err != nil {
		return err
	}
	maxText := 10000 // input.max_text_bytes's default
	if b := g.text.col.maxBytes; b > maxText {
		maxText = min((2*b+9999)/10000*10000, 1<<20)
	}
	rej, read, err := rejects(ctx, o.input, opts, o.sample, g, maxText)
	if err != nil {
		return fmt.Errorf("%w: %w", source.ErrInput, err)
	}

	fmt.Fprintf(stdout, "%s: %s, %d columns, %d rows sampled\n", o.input, s.format, len(s.columns), s.rows)
	if s.encoding != "" {
		fmt.Fprintf(stdout, "encoding: %s (%s)\n", s.encoding, s.why)
	}
	fmt.Fprintf(stdout, "id: %s (%s)\nscore: %s (%s)\ntext: %s (%s)\n", g.id.col.name, g.id.why, g.score.col.name, g.score.why, g.text.col.name, g.text.why)
	if len(g.segments) == 0 {
		fmt.Fprintln(stdout, "segments: none (no column of a few short values repeated)")
	}
	for _, sg := range g.segments {
		fmt.Fprintf(stdout, "segment: %s (%s)\n", sg.col.name, sg.why)
	}
	cfgText, warning, err := initConfig(o, s, g, rej, read, maxText, lexFile)
	if err != nil {
		return err
	}
	if warning != "" {
		fmt.Fprintf(stdout, "warning: %s\n", warning)
	}
	lex, err := examples.Lexicons.ReadFile(lexFile)
	if err != nil {
		return err
	}
	lexText := fmt.Sprintf("# The starter lexicon of `vocmine init --industry %s`: vocmine's\n# examples/%s, to grow into yours (docs/LEXICON.md).\n\n", o.industry, lexFile) + string(lex)
	if err := createFiles(map[string]string{lexOut: lexText, o.out: cfgText}); err != nil {
		return err
	}
	dir := filepath.Dir(o.out)
	part := (&config.Config{Output: config.Output{Dir: filepath.Join(dir, "vocmine-out")}, Date: time.Now()}).RunDir()
	fmt.Fprintf(stdout, "wrote %s and %s (the %s starter lexicon)\nnext:\n", o.out, lexOut, o.industry)
	fmt.Fprintf(stdout, "  vocmine lexicon coverage --config %s   # the share of reasons the lexicon tags, and the words it misses\n", o.out)
	fmt.Fprintf(stdout, "  vocmine run --config %s                # publish the tables into %s\n", o.out, filepath.Join(dir, "vocmine-out"))
	fmt.Fprintf(stdout, "  vocmine report --run %s   # the report, for people (run writes it there too: report.html)\n", part)
	return nil
}

// yamlScalar writes s as a YAML scalar, quoted only where YAML needs it.
func yamlScalar(s string) string {
	b, err := yaml.Marshal(s)
	if err != nil {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// initConfig is the text of the config init writes, and a warning for the
// user when the sample holds rows a run would reject.
func initConfig(o initOptions, s *sample, g *guesses, rej map[string]int, read, maxText int, lexFile string) (text, warning string, err error) {
	abs, err := filepath.Abs(o.input)
	if err != nil {
		return "", "", err
	}
	dir, err := filepath.Abs(filepath.Dir(o.out))
	if err != nil {
		return "", "", err
	}
	path := abs
	if rel, err := filepath.Rel(dir, abs); err == nil {
		path = rel
	}
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	comment := func(indent, text string) { line("%s# %s", indent, oneLine(text)) }
	line("# vocmine config for %s, written by `vocmine init` on %s from its", filepath.Base(o.input), time.Now().Format(time.DateOnly))
	line("# header and %d sampled rows: check each guess. Every key is described in", s.rows)
	line("# README.md (Running your own survey); relative paths are from this file's folder.")
	line("input:")
	line("  path: %s", yamlScalar(path))
	if o.sheet != "" {
		line("  sheet: %s", yamlScalar(o.sheet))
	}
	switch s.encoding {
	case "utf-8", "gb18030":
		comment("  ", "detected in the sample: "+s.why)
		line("  encoding: %s", s.encoding)
	case "":
	default: // utf-16: its byte order mark decides, whatever the setting
		comment("  ", "detected in the sample: "+s.why)
		line("  encoding: auto")
	}
	comment("  ", g.id.why)
	line("  id: %s", yamlScalar(g.id.col.name))
	comment("  ", g.score.why)
	line("  score: %s", yamlScalar(g.score.col.name))
	comment("  ", g.text.why)
	line("  text: %s", yamlScalar(g.text.col.name))
	if len(g.segments) == 0 {
		line("  segments: []   # none found: columns of a few short values repeated")
	} else {
		comment("  ", "columns of a few short values: the headline and mention rates per value")
		line("  segments:")
		for _, sg := range g.segments {
			comment("    ", sg.why)
			line("    - %s", yamlScalar(sg.col.name))
		}
	}
	if maxText != 10000 {
		comment("  ", fmt.Sprintf("the longest reason in the sample has %d bytes (default 10000)", g.text.col.maxBytes))
		line("  max_text_bytes: %d", maxText)
	}
	if n := sum(rej); n > 0 {
		var reasons []string
		for _, r := range slices.Sorted(maps.Keys(rej)) {
			reasons = append(reasons, fmt.Sprintf("%s %d", r, rej[r]))
		}
		budget := math.Ceil(200*float64(n)/float64(read)) / 100
		warning = fmt.Sprintf("a run would reject %d of the %d sampled rows (%s): the config allows input.max_reject_rate %g; look at rejects.csv after the run", n, read, strings.Join(reasons, ", "), budget)
		comment("  ", fmt.Sprintf("a run would reject %d of the %d sampled rows (%s); vocmine's default tolerates none: this allows twice the sample's rate", n, read, strings.Join(reasons, ", ")))
		line("  max_reject_rate: %g", budget)
	}
	line("score:")
	m := config.Metrics[g.metric]
	var groups []string
	for i, grp := range m.Groups {
		r := m.Ranges[i]
		groups = append(groups, fmt.Sprintf("score.%s: [%d, %d]", grp, r[0], r[1]))
	}
	comment("  ", fmt.Sprintf("%s; its groups by default: %s", g.metric, strings.Join(groups, ", ")))
	line("  metric: %s", g.metric)
	line("  scale: [%d, %d]", m.Scale[0], m.Scale[1])
	comment("", fmt.Sprintf("A copy of vocmine's examples/%s to grow into yours: `vocmine lexicon coverage`", lexFile))
	comment("", "lists the words of the reasons it misses.")
	line("lexicons: [lexicon.yaml]")
	line("output:")
	line("  dir: vocmine-out")
	return b.String(), warning, nil
}

func sum(m map[string]int) (n int) {
	for _, v := range m {
		n += v
	}
	return n
}

// createFiles writes each file, and its folder if need be. None may exist
// (O_EXCL: a file that appeared since the check is not overwritten either);
// on an error it removes the files it created.
func createFiles(files map[string]string) (err error) {
	var created []string
	defer func() {
		if err != nil {
			for _, p := range created {
				os.Remove(p)
			}
		}
	}()
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return usageError{fmt.Errorf("%s exists: init does not overwrite it", p)}
		}
		if err != nil {
			return err
		}
		created = append(created, p)
		_, err = f.WriteString(files[p])
		if err = errors.Join(err, f.Close()); err != nil {
			return err
		}
	}
	return nil
}
