package lexicon

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// clausePunct are the characters at which the tagger splits clauses; a word
// holding one could never be matched.
const clausePunct = "，。！？；、,.!?;\n\r"

// Size limits of lexicons (MaxRuleBytes and MaxRuleDepth bound rules). Each
// is far above what a lexicon written by people holds, so that none is ever
// reached by one, and low enough that a file that is not a lexicon (a word
// list gone wrong, a generated file, a hostile one) is refused at once,
// naming file:line, instead of loading for minutes or exhausting memory.
// The sample lexicons (examples/*/lexicon.yaml, general.yaml) hold at most
// 1,309 words and rules, of 6,125 characters, and 18 dimensions, in a 27 KB
// file (examples/dianping); their longest word is 21 bytes (7 characters:
// 离地铁站有点远). The built-in lexicon counts towards the limits of a run
// (1,831 words of 4,461 characters).
const (
	// MaxWordBytes is the most bytes a word (a term, an exclusion, a
	// sentiment, negator, intensifier, contrast or junk word, a rule's word
	// or phrase) may have once normalized: 42 Chinese characters, 6 times
	// the longest real word. The tagger indexes every prefix of every word
	// at a cost that grows faster than the word's length: a 1 MB term took
	// 154 s to load.
	MaxWordBytes = 128
	// MaxWords is the most words and rules a run's lexicons may hold
	// together, the built-in one's included, each list entry counted: 75
	// times the largest sample lexicon. Measured (lexicon.Load,
	// Merge and tagger.New; words of 2 to 4 characters): 100,000 words take
	// 2.1 s of CPU and a peak of 280 MB, against 0.6 s and 100 MB for the
	// built-in lexicon alone; 1,000,000 took 17 s and 1.5 GB.
	MaxWords = 100_000
	// MaxWordChars is the most characters (runes) all the words and rules
	// of a run's lexicons may have together: what the tagger's index and
	// the segmenter's dictionary grow with. Enough for 100,000 words of 5
	// characters, or 3,900 of the longest (128 letters), which load in 4 to
	// 7 s of CPU at a peak of 330 MB.
	MaxWordChars = 500_000
	// MaxDimensions is the most dimensions a run's lexicons may define:
	// every reason gets a code for each of them (codes.parquet has a
	// column per dimension), and survey code frames have tens.
	MaxDimensions = 1_000
	// MaxFileBytes is the most bytes a lexicon file may have, 150 times
	// the largest sample: the YAML is parsed whole into memory before it
	// is checked, at up to 100 bytes of memory per byte of YAML (a list of
	// one-letter words: 4 MiB took 410 MB).
	MaxFileBytes = 4 << 20
)

// maxErrors is the most problems kept for one file: past it they are only
// counted, so that a file of a million repeated words does not make a
// million messages.
const maxErrors = 1000

// Load reads one lexicon file. name is used in error messages and positions.
// Every problem is reported (the first 1000 of a file, then their count),
// each with file:line, as an ErrorList. Problems
// that do not stop loading (a term listed under terms and a polarity list of
// its dimension) are in the lexicon's Warnings.
func Load(name string, r io.Reader) (*Lexicon, error) {
	l, err := Parse(name, r)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// Parse is Load for checkers: along with the errors it returns whatever
// could be read (entries in error left out), so that the checks across
// files still run on a file with a mistake. The lexicon is nil only when
// the file cannot be read or is not YAML at all.
func Parse(name string, r io.Reader) (*Lexicon, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading lexicon %s: %w", name, err)
	}
	if len(data) > MaxFileBytes {
		return nil, ErrorList{{Pos: Pos{File: name}, Msg: fmt.Sprintf("larger than %d bytes, the most a lexicon file may have", MaxFileBytes)}}
	}
	p := &parser{file: name}
	l := p.parse(data)
	if p.nerrs > len(p.errs) {
		p.errs = append(p.errs, &Error{Pos: Pos{File: name}, Msg: fmt.Sprintf("%d more problems not shown", p.nerrs-len(p.errs))})
	}
	return l, p.errs.Err()
}

// LoadFile reads one lexicon file from disk.
func LoadFile(path string) (*Lexicon, error) {
	l, err := ParseFile(path)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// ParseFile is Parse on a file from disk.
func ParseFile(path string) (*Lexicon, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("opening lexicon: %w", err)
	}
	defer f.Close()
	return Parse(path, f)
}

// LoadFiles returns the built-in general lexicon (unless builtin is false)
// merged with the files at paths, in order. Errors from every file are
// reported together. Lexicons without any dimension give ErrNoDimensions
// along with the merged lexicon.
func LoadFiles(builtin bool, paths ...string) (*Lexicon, error) {
	var ls []*Lexicon
	if builtin {
		ls = append(ls, Builtin())
	}
	var errs []error
	for _, p := range paths {
		l, err := LoadFile(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ls = append(ls, l)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if err := checkSizes(ls); err != nil {
		return nil, err
	}
	m := Merge(ls...)
	if len(m.Dimensions) == 0 {
		// The lexicon comes back too, for tools that measure an empty start.
		return m, fmt.Errorf("lexicons %s: %w", strings.Join(paths, ", "), ErrNoDimensions)
	}
	if err := m.checkHierarchy(); err != nil {
		return nil, err
	}
	return m, nil
}

type parser struct {
	file     string
	errs     ErrorList
	nerrs    int // problems found, kept in errs up to maxErrors
	warnings []Finding
	// words and chars read so far (rules included), for MaxWords and MaxWordChars.
	nwords, nchars int
}

// count counts a word or rule of text read at n, reporting the first past
// MaxWords or MaxWordChars.
func (p *parser) count(n *yaml.Node, text string) {
	if p.nwords++; p.nwords == MaxWords+1 {
		p.errorf(n, "more than %d words and rules in one file, the most is %d per run", MaxWords, MaxWords)
	}
	before := p.nchars
	if p.nchars += utf8.RuneCountInString(text); before <= MaxWordChars && p.nchars > MaxWordChars {
		p.errorf(n, "more than %d characters of words and rules in one file, the most is %d per run", MaxWordChars, MaxWordChars)
	}
}

// size is what counts towards MaxWords and MaxWordChars: every entry of
// every list, and the rules.
func (l *Lexicon) size() (words, chars int) {
	add := func(es ...[]Entry) {
		for _, l := range es {
			for _, e := range l {
				words++
				chars += utf8.RuneCountInString(e.Text)
			}
		}
	}
	add(l.Positive, l.Negative, l.Neutral, l.Negators, l.Contrast, l.Junk)
	for _, ins := range [][]Intensifier{l.Intensifiers, l.Leans} {
		for _, in := range ins {
			add([]Entry{in.Entry})
		}
	}
	for _, d := range l.Dimensions {
		add(d.Terms, d.PositiveTerms, d.NegativeTerms, d.Exclude)
		for _, r := range d.Rules {
			words++
			chars += utf8.RuneCountInString(r.Source)
		}
	}
	return words, chars
}

// checkSizes refuses lexicons that hold together more than MaxWords words,
// MaxWordChars characters of words or MaxDimensions dimensions (each file
// was checked alone by Parse).
func checkSizes(ls []*Lexicon) error {
	words, chars := 0, 0
	dims := map[string]bool{}
	for _, l := range ls {
		w, c := l.size()
		words, chars = words+w, chars+c
		for _, d := range l.Dimensions {
			dims[d.Name] = true
		}
	}
	var msg string
	switch {
	case words > MaxWords:
		msg = fmt.Sprintf("%d words and rules together, the most is %d per run", words, MaxWords)
	case chars > MaxWordChars:
		msg = fmt.Sprintf("%d characters of words and rules together, the most is %d per run", chars, MaxWordChars)
	case len(dims) > MaxDimensions:
		msg = fmt.Sprintf("%d dimensions together, the most is %d per run", len(dims), MaxDimensions)
	default:
		return nil
	}
	var files []string
	for _, l := range ls {
		for _, s := range l.Sources {
			files = append(files, s.Path)
		}
	}
	return ErrorList{{Pos: Pos{File: "lexicons " + strings.Join(files, ", ")}, Msg: msg}}
}

// add records a problem, keeping at most maxErrors.
func (p *parser) add(e *Error) {
	if p.nerrs++; p.nerrs <= maxErrors {
		p.errs = append(p.errs, e)
	}
}

func (p *parser) warnf(pos Pos, format string, args ...any) {
	p.warnings = append(p.warnings, Finding{Pos: pos, Severity: SevWarning, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	pos := Pos{File: p.file}
	if n != nil {
		pos.Line, pos.Column = n.Line, n.Column
	}
	if p.nerrs >= maxErrors {
		p.nerrs++ // not formatted: only counted
		return
	}
	p.add(&Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) pos(n *yaml.Node) Pos { return Pos{File: p.file, Line: n.Line, Column: n.Column} }

func (p *parser) parse(data []byte) *Lexicon {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			p.errorf(nil, "empty file: a lexicon needs at least the key \"dimensions\"")
			return nil
		}
		p.add(yamlError(p.file, err))
		return nil
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	l := &Lexicon{}
	src := Source{Path: p.file}
	seenDims := false
	p.mapping(root, "the lexicon", func(key string, k, v *yaml.Node) {
		switch key {
		case "name":
			src.Name = p.scalar(v, key)
		case "version":
			src.Version = p.scalar(v, key)
		case "dimensions":
			seenDims = true
			l.Dimensions = p.dimensions(v)
		case "sentiment":
			p.mapping(v, "sentiment", func(key string, k, v *yaml.Node) {
				switch key {
				case "positive":
					l.Positive = p.words(v, "sentiment.positive")
				case "negative":
					l.Negative = p.words(v, "sentiment.negative")
				case "neutral":
					l.Neutral = p.words(v, "sentiment.neutral")
				default:
					p.errorf(k, "unknown key %q in sentiment (known: positive, negative, neutral)", key)
				}
			})
			p.sentimentConflicts(l)
		case "negators":
			l.Negators = p.words(v, key)
		case "intensifiers":
			l.Intensifiers = p.intensifiers(v)
		case "leans":
			l.Leans = p.leans(v)
		case "contrast":
			l.Contrast = p.words(v, key)
		case "junk":
			l.Junk = p.words(v, key)
		case "examples":
			l.Examples = p.examples(v)
		default:
			p.errorf(k, "unknown key %q (known: name, version, dimensions, sentiment, negators, intensifiers, leans, contrast, junk, examples)", key)
		}
	})
	if !seenDims && root.Kind == yaml.MappingNode {
		p.errorf(root, "missing key \"dimensions\" (use \"dimensions: []\" for a file that only adds sentiment words)")
	}
	l.Sources = []Source{src}
	l.Warnings = p.warnings
	return l
}

// mapping calls fn for each key of a mapping node, rejecting repeated keys.
func (p *parser) mapping(n *yaml.Node, what string, fn func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping of keys to values, not %s", what, kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			p.errorf(k, "key %q given twice in %s", k.Value, what)
			continue
		}
		seen[k.Value] = true
		fn(k.Value, k, v)
	}
}

func (p *parser) scalar(n *yaml.Node, what string) string {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, "%s must be a single value, not %s", what, kindName(n))
		return ""
	}
	return strings.TrimSpace(n.Value)
}

// words reads a list of words, normalized, rejecting blanks, repeats and words
// the tagger could never match.
func (p *parser) words(n *yaml.Node, what string) []Entry {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list of words, not %s", what, kindName(n))
		return nil
	}
	var out []Entry
	seen := map[string]int{} // index in out: a scan of out made a long list quadratic
	for _, c := range n.Content {
		if e, ok := p.word(c, what); ok {
			if i, ok := seen[e.Text]; ok {
				p.errorf(c, "%s: %q listed twice (first at line %d)", what, e.Text, out[i].Pos.Line)
				continue
			}
			seen[e.Text] = len(out)
			out = append(out, e)
		}
	}
	return out
}

func (p *parser) word(n *yaml.Node, what string) (Entry, bool) {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, "%s: each entry must be a word, not %s", what, kindName(n))
		return Entry{}, false
	}
	w := Normalize(strings.TrimSpace(n.Value))
	switch {
	case w == "":
		p.errorf(n, "%s: empty word", what)
		return Entry{}, false
	case len(w) > MaxWordBytes:
		p.errorf(n, "%s: word of %d bytes, the most is %d", what, len(w), MaxWordBytes)
		return Entry{}, false
	case strings.ContainsAny(w, clausePunct):
		p.errorf(n, "%s: %q holds clause punctuation (%s), so it could never match", what, w, strconv.Quote(clausePunct))
		return Entry{}, false
	}
	p.count(n, w)
	return Entry{Text: w, Pos: p.pos(n)}, true
}

func (p *parser) dimensions(n *yaml.Node) []Dimension {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "dimensions must be a list, not %s", kindName(n))
		return nil
	}
	var out []Dimension
	names := map[string]int{}
	for _, dn := range n.Content {
		d := Dimension{Pos: p.pos(dn)}
		nerrs := p.nerrs
		p.mapping(dn, "a dimension", func(key string, k, v *yaml.Node) {
			switch key {
			case "name":
				d.Name = p.scalar(v, "dimension name")
			case "description":
				d.Description = p.scalar(v, "description")
			case "terms":
				d.Terms = p.words(v, "terms")
			case "positive_terms":
				d.PositiveTerms = p.words(v, "positive_terms")
			case "negative_terms":
				d.NegativeTerms = p.words(v, "negative_terms")
			case "exclude":
				d.Exclude = p.words(v, "exclude")
			case "rules":
				d.Rules = p.rules(v)
			case "mixed":
				m, err := strconv.ParseFloat(strings.TrimSpace(v.Value), 64)
				if v.Kind != yaml.ScalarNode || err != nil || m < 0 || m > 1 {
					p.errorf(v, "mixed: want a share between 0 and 1, not %q", v.Value)
				}
				d.Mixed = m
			default:
				p.errorf(k, "unknown key %q in a dimension (known: name, description, terms, positive_terms, negative_terms, exclude, rules, mixed)", key)
			}
		})
		if dn.Kind != yaml.MappingNode {
			continue
		}
		d.incomplete = p.nerrs > nerrs
		if msg := checkDimensionName(d.Name); msg != "" {
			p.errorf(dn, "dimension %q: %s", d.Name, msg)
			continue
		}
		if line, ok := names[d.Name]; ok {
			p.errorf(dn, "dimension %q defined twice (first at line %d)", d.Name, line)
			continue
		}
		names[d.Name] = dn.Line
		if len(out) == MaxDimensions {
			p.errorf(dn, "more than %d dimensions in one file, the most is %d per run", MaxDimensions, MaxDimensions)
		}
		p.termConflicts(&d)
		out = append(out, d)
	}
	return out
}

// termConflicts checks a dimension's term lists against each other. A word
// under both positive_terms and negative_terms, or both a term and an
// exclusion, is an error: it has no one meaning. A word under terms and
// under a polarity list says one thing twice: the polarity list wins (the
// word names the dimension and carries the polarity), the plain entry is
// dropped and a warning says so.
func (p *parser) termConflicts(d *Dimension) {
	// Indexes by text, not scans: a scan per entry made long lists quadratic.
	// Each list holds a word once (words), so an index is its only entry.
	pos := textIndex(d.PositiveTerms)
	d.NegativeTerms = slices.DeleteFunc(d.NegativeTerms, func(e Entry) bool {
		i, ok := pos[e.Text]
		if ok {
			p.add(&Error{Pos: e.Pos, Msg: fmt.Sprintf("dimension %q: term %q is under negative_terms and under positive_terms (line %d): one polarity", d.Name, e.Text, d.PositiveTerms[i].Pos.Line)})
		}
		return ok // left out, as every entry in error
	})
	neg := textIndex(d.NegativeTerms)
	d.Terms = slices.DeleteFunc(d.Terms, func(e Entry) bool {
		for _, pl := range []struct {
			name  string
			es    []Entry
			index map[string]int
		}{{"positive_terms", d.PositiveTerms, pos}, {"negative_terms", d.NegativeTerms, neg}} {
			if i, ok := pl.index[e.Text]; ok {
				p.warnf(e.Pos, "dimension %q: term %q is also under %s (line %d): the polarity list wins, drop it from terms", d.Name, e.Text, pl.name, pl.es[i].Pos.Line)
				return true
			}
		}
		return false
	})
	terms := textIndex(d.Terms)
	for _, e := range d.Exclude {
		_, t := terms[e.Text]
		_, po := pos[e.Text]
		_, ne := neg[e.Text]
		if t || po || ne {
			p.add(&Error{Pos: e.Pos, Msg: fmt.Sprintf("dimension %q: %q is both a term and an exclusion", d.Name, e.Text)})
		}
	}
}

// textIndex maps each text of es to its first index.
func textIndex(es []Entry) map[string]int {
	m := make(map[string]int, len(es))
	for i, e := range es {
		if _, ok := m[e.Text]; !ok {
			m[e.Text] = i
		}
	}
	return m
}

func checkDimensionName(name string) string {
	if name == "" {
		return "missing name"
	}
	for _, part := range strings.Split(name, "/") {
		if strings.TrimSpace(part) == "" {
			return "empty level in name (a \"/\" at the start, the end, or twice)"
		}
		if strings.TrimSpace(part) != part {
			return "spaces around a \"/\""
		}
	}
	return ""
}

// leans reads the map of neutral words to their lean: a number, not 0, of
// at most 2 either way.
func (p *parser) leans(n *yaml.Node) []Intensifier {
	return p.weighted(n, "leans", "lean", "a number between -2 and 2 other than 0",
		func(w float64) bool { return w != 0 && math.Abs(w) <= 2 })
}

func (p *parser) intensifiers(n *yaml.Node) []Intensifier {
	return p.weighted(n, "intensifiers", "weight", "a positive number",
		func(w float64) bool { return w > 0 && !math.IsInf(w, 0) })
}

// weighted reads a map of words to numbers that ok accepts (NaN never);
// a bad number is an error saying its noun must be want.
func (p *parser) weighted(n *yaml.Node, key, noun, want string, ok func(float64) bool) []Intensifier {
	var out []Intensifier
	p.mapping(n, key, func(word string, k, v *yaml.Node) {
		e, good := p.word(k, key)
		if !good {
			return
		}
		w, err := strconv.ParseFloat(strings.TrimSpace(v.Value), 64)
		if v.Kind != yaml.ScalarNode || err != nil || math.IsNaN(w) || !ok(w) {
			p.errorf(v, "%s: %s of %q must be %s, not %q", key, noun, word, want, v.Value)
			return
		}
		out = append(out, Intensifier{Entry: e, Weight: w})
	})
	return out
}

func (p *parser) sentimentConflicts(l *Lexicon) {
	lists := []struct {
		name string
		es   []Entry
	}{{"positive", l.Positive}, {"negative", l.Negative}, {"neutral", l.Neutral}}
	for i := range lists {
		index := textIndex(lists[i].es)
		for j := i + 1; j < len(lists); j++ {
			for _, e := range lists[j].es {
				if k, ok := index[e.Text]; ok {
					p.add(&Error{Pos: e.Pos, Msg: fmt.Sprintf("sentiment: %q is both %s (line %d) and %s", e.Text, lists[i].name, lists[i].es[k].Pos.Line, lists[j].name)})
				}
			}
		}
	}
}

// checkHierarchy rejects a dimension that has terms of its own and also
// sub-dimensions: its top-level figures would mix the two.
func (l *Lexicon) checkHierarchy() error {
	// The first sub-dimension (in lexicon order) of every name that has one:
	// each ancestor of a name is a prefix of it ending before a "/". One pass,
	// where comparing every pair of names was quadratic.
	child := map[string]string{}
	for _, c := range l.Dimensions {
		for i := range len(c.Name) {
			if c.Name[i] == '/' {
				if _, ok := child[c.Name[:i]]; !ok {
					child[c.Name[:i]] = c.Name
				}
			}
		}
	}
	var errs ErrorList
	for _, d := range l.Dimensions {
		if c, ok := child[d.Name]; ok {
			errs = append(errs, &Error{Pos: d.Pos, Msg: fmt.Sprintf("dimension %q has sub-dimensions (%q): put its terms under a leaf such as %q", d.Name, c, d.Name+"/其他")})
		}
	}
	return errs.Err()
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Value == "" {
			return "an empty value"
		}
		return fmt.Sprintf("the value %q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

// examples reads the lexicon's examples: a list of {text, tags, not}.
func (p *parser) examples(n *yaml.Node) []Example {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "examples must be a list, not %s", kindName(n))
		return nil
	}
	var out []Example
	for _, en := range n.Content {
		ex := Example{Pos: p.pos(en)}
		ok := true
		p.mapping(en, "an example", func(key string, k, v *yaml.Node) {
			switch key {
			case "text":
				ex.Text = p.scalar(v, "example text")
			case "tags":
				ex.Tags, ex.HasTags = p.strings(v, "example tags"), true
				for _, t := range ex.Tags {
					dim, pol, found := strings.Cut(t, ":")
					if dim == "" || found && pol != "positive" && pol != "negative" && pol != "neutral" {
						p.errorf(v, "example tags: %q: want \"dimension\" or \"dimension:positive|negative|neutral\"", t)
						ok = false
					}
				}
			case "not":
				ex.Not = p.strings(v, "example not")
			default:
				p.errorf(k, "unknown key %q in an example (known: text, tags, not)", key)
			}
		})
		if en.Kind != yaml.MappingNode || !ok {
			continue
		}
		if strings.TrimSpace(ex.Text) == "" {
			p.errorf(en, "example without text")
			continue
		}
		if !ex.HasTags && len(ex.Not) == 0 {
			p.errorf(en, "example %q checks nothing: give tags (the whole set, [] for none) or not (dimensions it must not tag)", ex.Text)
			continue
		}
		out = append(out, ex)
	}
	return out
}

// strings reads a list of scalars.
func (p *parser) strings(n *yaml.Node, what string) []string {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s must be a list, not %s", what, kindName(n))
		return nil
	}
	out := []string{}
	for _, c := range n.Content {
		if s := p.scalar(c, what); s != "" {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// rules parses a dimension's rules. A syntax error names the line and the
// column of the offending token.
func (p *parser) rules(n *yaml.Node) []Rule {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "rules must be a list of rules, not %s", kindName(n))
		return nil
	}
	var out []Rule
	for _, c := range n.Content {
		if c.Kind != yaml.ScalarNode {
			p.errorf(c, "rules: each entry must be a rule in quotes, not %s", kindName(c))
			continue
		}
		root, err := ParseRule(c.Value)
		if err != nil {
			col := c.Column + err.(*RuleError).Offset
			if c.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
				col++ // past the opening quote
			}
			msg := "rules: " + err.Error() // a rule too long is not quoted
			if len(c.Value) <= MaxRuleBytes {
				msg = fmt.Sprintf("rules: %s in %q", err, c.Value)
			}
			p.add(&Error{Pos: p.pos(c), Col: col, Msg: msg})
			continue
		}
		p.count(c, c.Value)
		out = append(out, Rule{Source: c.Value, Pos: p.pos(c), Root: root})
	}
	return out
}
