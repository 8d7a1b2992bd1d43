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

	"go.yaml.in/yaml/v3"
)

// clausePunct are the characters at which the tagger splits clauses; a word
// holding one could never be matched.
const clausePunct = "，。！？；、,.!?;\n\r"

// Load reads one lexicon file. name is used in error messages and positions.
// Every problem is reported, each with file:line, as an ErrorList. Problems
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
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading lexicon %s: %w", name, err)
	}
	p := &parser{file: name}
	l := p.parse(data)
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
	warnings []Finding
}

func (p *parser) warnf(pos Pos, format string, args ...any) {
	p.warnings = append(p.warnings, Finding{Pos: pos, Severity: SevWarning, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	pos := Pos{File: p.file}
	if n != nil {
		pos.Line, pos.Column = n.Line, n.Column
	}
	p.errs = append(p.errs, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
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
		p.errs = append(p.errs, yamlError(p.file, err))
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
	for _, c := range n.Content {
		if e, ok := p.word(c, what); ok {
			if i := indexText(out, e.Text); i >= 0 {
				p.errorf(c, "%s: %q listed twice (first at line %d)", what, e.Text, out[i].Pos.Line)
				continue
			}
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
	case strings.ContainsAny(w, clausePunct):
		p.errorf(n, "%s: %q holds clause punctuation (%s), so it could never match", what, w, strconv.Quote(clausePunct))
		return Entry{}, false
	}
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
		nerrs := len(p.errs)
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
		d.incomplete = len(p.errs) > nerrs
		if msg := checkDimensionName(d.Name); msg != "" {
			p.errorf(dn, "dimension %q: %s", d.Name, msg)
			continue
		}
		if line, ok := names[d.Name]; ok {
			p.errorf(dn, "dimension %q defined twice (first at line %d)", d.Name, line)
			continue
		}
		names[d.Name] = dn.Line
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
	d.NegativeTerms = slices.DeleteFunc(d.NegativeTerms, func(e Entry) bool {
		i := indexText(d.PositiveTerms, e.Text)
		if i >= 0 {
			p.errs = append(p.errs, &Error{Pos: e.Pos, Msg: fmt.Sprintf("dimension %q: term %q is under negative_terms and under positive_terms (line %d): one polarity", d.Name, e.Text, d.PositiveTerms[i].Pos.Line)})
		}
		return i >= 0 // left out, as every entry in error
	})
	d.Terms = slices.DeleteFunc(d.Terms, func(e Entry) bool {
		for _, pl := range []struct {
			name string
			es   []Entry
		}{{"positive_terms", d.PositiveTerms}, {"negative_terms", d.NegativeTerms}} {
			if i := indexText(pl.es, e.Text); i >= 0 {
				p.warnf(e.Pos, "dimension %q: term %q is also under %s (line %d): the polarity list wins, drop it from terms", d.Name, e.Text, pl.name, pl.es[i].Pos.Line)
				return true
			}
		}
		return false
	})
	for _, e := range d.Exclude {
		if indexText(d.Terms, e.Text) >= 0 || indexText(d.PositiveTerms, e.Text) >= 0 || indexText(d.NegativeTerms, e.Text) >= 0 {
			p.errs = append(p.errs, &Error{Pos: e.Pos, Msg: fmt.Sprintf("dimension %q: %q is both a term and an exclusion", d.Name, e.Text)})
		}
	}
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
		for j := i + 1; j < len(lists); j++ {
			for _, e := range lists[j].es {
				if k := indexText(lists[i].es, e.Text); k >= 0 {
					p.errs = append(p.errs, &Error{Pos: e.Pos, Msg: fmt.Sprintf("sentiment: %q is both %s (line %d) and %s", e.Text, lists[i].name, lists[i].es[k].Pos.Line, lists[j].name)})
				}
			}
		}
	}
}

// checkHierarchy rejects a dimension that has terms of its own and also
// sub-dimensions: its top-level figures would mix the two.
func (l *Lexicon) checkHierarchy() error {
	var errs ErrorList
	for _, d := range l.Dimensions {
		for _, c := range l.Dimensions {
			if strings.HasPrefix(c.Name, d.Name+"/") {
				errs = append(errs, &Error{Pos: d.Pos, Msg: fmt.Sprintf("dimension %q has sub-dimensions (%q): put its terms under a leaf such as %q", d.Name, c.Name, d.Name+"/其他")})
				break
			}
		}
	}
	return errs.Err()
}

func indexText(es []Entry, text string) int {
	for i, e := range es {
		if e.Text == text {
			return i
		}
	}
	return -1
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
			p.errs = append(p.errs, &Error{Pos: p.pos(c), Col: col, Msg: fmt.Sprintf("rules: %s in %q", err, c.Value)})
			continue
		}
		out = append(out, Rule{Source: c.Value, Pos: p.pos(c), Root: root})
	}
	return out
}
