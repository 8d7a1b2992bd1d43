package lexicon

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rule is a dimension's condition beyond a word list, in a small language:
// words and "quoted phrases", AND, OR, NOT, parentheses, and NEAR(a, b, n)
// (a and b within n tokens of each other in one clause). Precedence: NOT,
// then AND, then OR. A bare word matches one to four consecutive tokens
// that spell it (lexicon words are kept whole by the segmenter); a quoted
// phrase matches anywhere in a clause's text. See docs/LEXICON.md.
type Rule struct {
	Source string
	Pos    Pos
	Root   *RuleNode
}

// RuleOp is the kind of a RuleNode.
type RuleOp int

const (
	RuleWord   RuleOp = iota // Text matches tokens
	RulePhrase               // Text matches a clause's text
	RuleAnd
	RuleOr
	RuleNot
	RuleNear // Kids[0] and Kids[1] (words or phrases) within N tokens, one clause
)

// RuleNode is one node of a parsed rule.
type RuleNode struct {
	Op   RuleOp
	Text string // RuleWord, RulePhrase: normalized
	N    int    // RuleNear
	Kids []*RuleNode
}

// String renders the node back in the rule language, fully parenthesized.
func (n *RuleNode) String() string {
	switch n.Op {
	case RuleWord:
		return n.Text
	case RulePhrase:
		return strconv.Quote(n.Text)
	case RuleNot:
		return "NOT " + n.Kids[0].String()
	case RuleNear:
		return fmt.Sprintf("NEAR(%s, %s, %d)", n.Kids[0], n.Kids[1], n.N)
	}
	op := " AND "
	if n.Op == RuleOr {
		op = " OR "
	}
	parts := make([]string, len(n.Kids))
	for i, k := range n.Kids {
		parts[i] = k.String()
	}
	return "(" + strings.Join(parts, op) + ")"
}

// Words returns the bare words of the rule, for the segmenter.
func (n *RuleNode) Words() []string {
	var out []string
	var walk func(*RuleNode)
	walk = func(n *RuleNode) {
		if n.Op == RuleWord {
			out = append(out, n.Text)
		}
		for _, k := range n.Kids {
			walk(k)
		}
	}
	walk(n)
	return out
}

// Limits on one rule. The longest rule of the sample lexicons is 907 bytes
// (examples/dianping's 环境, an OR of 33 NEARs) and the deepest nests one
// parenthesis (NEAR's); the limits are far above what a person writes, and
// keep what a rule costs bounded: every reason is matched against every rule,
// and the parser recurses once per level of nesting. A longer or deeper rule
// is an error naming file:line, not a parse that runs for minutes.
const (
	// MaxRuleBytes is the most bytes a rule may have: 18 times the longest
	// real one.
	MaxRuleBytes = 16 << 10
	// MaxRuleDepth is the most a rule may nest parentheses and NOTs
	// (counted together: each is one level of the parser's recursion).
	// Real rules nest one or two levels.
	MaxRuleDepth = 100
)

// RuleError is a syntax error at a rune offset of a rule's text.
type RuleError struct {
	Offset int // in runes, from the start of the rule
	Msg    string
}

func (e *RuleError) Error() string { return e.Msg }

// ParseRule parses one rule, in time linear in its length. A rule longer
// than MaxRuleBytes, nesting deeper than MaxRuleDepth or holding a word
// longer than MaxWordBytes is an error.
func ParseRule(src string) (*RuleNode, error) {
	if len(src) > MaxRuleBytes {
		return nil, &RuleError{0, fmt.Sprintf("rule of %d bytes, the most is %d", len(src), MaxRuleBytes)}
	}
	if err := checkDepth(src); err != nil {
		return nil, err
	}
	p := &ruleParser{src: src}
	p.next()
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		return nil, p.errorf("unexpected %s", p.tok)
	}
	if !hasPositive(n, false) {
		return nil, &RuleError{0, "the rule has no word outside NOT, so nothing could anchor a tag"}
	}
	return n, nil
}

// hasPositive reports whether n holds a word or phrase not under NOT.
func hasPositive(n *RuleNode, negated bool) bool {
	switch n.Op {
	case RuleWord, RulePhrase, RuleNear:
		return !negated
	case RuleNot:
		return hasPositive(n.Kids[0], !negated)
	}
	for _, k := range n.Kids {
		if hasPositive(k, negated) {
			return true
		}
	}
	return false
}

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tPhrase
	tLParen
	tRParen
	tComma
	tAnd
	tOr
	tNot
	tNear
)

type ruleTok struct {
	kind tokKind
	text string
	off  int // rune offset
}

func (t ruleTok) String() string {
	switch t.kind {
	case tEOF:
		return "end of rule"
	case tWord:
		return fmt.Sprintf("word %q", t.text)
	case tPhrase:
		return fmt.Sprintf("phrase %q", t.text)
	}
	return strconv.Quote(t.text)
}

type ruleParser struct {
	src   string
	pos   int // byte offset
	runes int // rune offset of pos, kept as pos moves: counting from the start at every token made parsing quadratic
	depth int // of unary's recursion: NOTs and parentheses
	tok   ruleTok
	err   *RuleError
}

// checkDepth refuses a rule whose parentheses nest deeper than
// MaxRuleDepth, saying how deep (the parser's own guard, which also counts
// NOTs, stops at the limit and cannot say).
func checkDepth(src string) error {
	p := &ruleParser{src: src}
	depth, most, off := 0, 0, 0
	for p.next(); p.tok.kind != tEOF; p.next() {
		switch p.tok.kind {
		case tLParen:
			if depth++; depth > most {
				most = depth
				if depth == MaxRuleDepth+1 {
					off = p.tok.off
				}
			}
		case tRParen:
			depth--
		}
	}
	if most > MaxRuleDepth {
		return &RuleError{off, fmt.Sprintf("rule nests %d parentheses deep, the most is %d", most, MaxRuleDepth)}
	}
	return nil
}

// advance moves pos to byte offset to, keeping runes.
func (p *ruleParser) advance(to int) {
	p.runes += utf8.RuneCountInString(p.src[p.pos:to])
	p.pos = to
}

func (p *ruleParser) errorf(format string, args ...any) *RuleError {
	if p.err != nil {
		return p.err
	}
	return &RuleError{Offset: p.tok.off, Msg: fmt.Sprintf(format, args...)}
}

// next reads the next token into p.tok.
func (p *ruleParser) next() {
	for p.pos < len(p.src) {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		if !unicode.IsSpace(r) {
			break
		}
		p.pos += size
		p.runes++
	}
	off := p.runes
	if p.pos >= len(p.src) {
		p.tok = ruleTok{tEOF, "", off}
		return
	}
	switch c := p.src[p.pos]; c {
	case '(', ')', ',':
		p.advance(p.pos + 1)
		kind := tComma
		switch c {
		case '(':
			kind = tLParen
		case ')':
			kind = tRParen
		}
		p.tok = ruleTok{kind, string(c), off}
		return
	case '"':
		end := strings.IndexByte(p.src[p.pos+1:], '"')
		if end < 0 {
			p.err = &RuleError{off, "unclosed quote"}
			p.tok = ruleTok{tEOF, "", off}
			p.advance(len(p.src))
			return
		}
		text := p.src[p.pos+1 : p.pos+1+end]
		p.advance(p.pos + end + 2)
		p.tok = ruleTok{tPhrase, text, off}
		return
	}
	start := p.pos
	for p.pos < len(p.src) {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		if unicode.IsSpace(r) || strings.ContainsRune(`(),"`, r) {
			break
		}
		p.pos += size
		p.runes++
	}
	text := p.src[start:p.pos]
	kind := tWord
	switch text {
	case "AND":
		kind = tAnd
	case "OR":
		kind = tOr
	case "NOT":
		kind = tNot
	case "NEAR":
		kind = tNear
	}
	p.tok = ruleTok{kind, text, off}
}

func (p *ruleParser) or() (*RuleNode, error) {
	return p.binary(tOr, RuleOr, p.and)
}

func (p *ruleParser) and() (*RuleNode, error) {
	return p.binary(tAnd, RuleAnd, p.unary)
}

func (p *ruleParser) binary(kind tokKind, op RuleOp, operand func() (*RuleNode, error)) (*RuleNode, error) {
	first, err := operand()
	if err != nil {
		return nil, err
	}
	kids := []*RuleNode{first}
	for p.tok.kind == kind {
		p.next()
		k, err := operand()
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &RuleNode{Op: op, Kids: kids}, nil
}

func (p *ruleParser) unary() (*RuleNode, error) {
	if k := p.tok.kind; k == tNot || k == tLParen {
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > MaxRuleDepth {
			return nil, p.errorf("rule nests NOTs and parentheses more than %d deep", MaxRuleDepth)
		}
	}
	switch p.tok.kind {
	case tNot:
		p.next()
		k, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &RuleNode{Op: RuleNot, Kids: []*RuleNode{k}}, nil
	case tLParen:
		p.next()
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if err := p.expect(tRParen, `")"`); err != nil {
			return nil, err
		}
		return n, nil
	case tNear:
		p.next()
		if err := p.expect(tLParen, `"(" after NEAR`); err != nil {
			return nil, err
		}
		a, err := p.operand()
		if err != nil {
			return nil, err
		}
		if err := p.expect(tComma, `"," after NEAR's first word`); err != nil {
			return nil, err
		}
		b, err := p.operand()
		if err != nil {
			return nil, err
		}
		if err := p.expect(tComma, `"," before NEAR's distance`); err != nil {
			return nil, err
		}
		n, err := strconv.Atoi(p.tok.text)
		if p.tok.kind != tWord || err != nil || n < 1 {
			return nil, p.errorf("NEAR's distance must be a whole number of tokens, at least 1, not %s", p.tok)
		}
		p.next()
		if err := p.expect(tRParen, `")" after NEAR's distance`); err != nil {
			return nil, err
		}
		return &RuleNode{Op: RuleNear, N: n, Kids: []*RuleNode{a, b}}, nil
	}
	return p.operand()
}

func (p *ruleParser) operand() (*RuleNode, error) {
	t := p.tok
	switch t.kind {
	case tWord, tPhrase:
		text := Normalize(strings.TrimSpace(t.text))
		if text == "" {
			return nil, p.errorf("empty phrase")
		}
		if len(text) > MaxWordBytes {
			what := "word"
			if t.kind == tPhrase {
				what = "phrase"
			}
			return nil, p.errorf("%s of %d bytes, the most is %d", what, len(text), MaxWordBytes)
		}
		if strings.ContainsAny(text, clausePunct) {
			return nil, p.errorf("%s holds clause punctuation, so it could never match", t)
		}
		p.next()
		if t.kind == tWord {
			return &RuleNode{Op: RuleWord, Text: text}, nil
		}
		return &RuleNode{Op: RulePhrase, Text: text}, nil
	}
	return nil, p.errorf("expected a word, a \"quoted phrase\", NOT, NEAR or \"(\", not %s", t)
}

func (p *ruleParser) expect(kind tokKind, what string) error {
	if p.tok.kind != kind {
		return p.errorf("expected %s, not %s", what, p.tok)
	}
	p.next()
	return nil
}

// Satisfiable reports whether some reason could match the rule, treating
// each word, phrase and NEAR as free to hold or not, except that a NEAR
// needs both of its operands. It tries every assignment of the atoms; a rule
// with too many to try (more than 16 distinct atoms, or more than
// 1<<24 node visits in all) is assumed satisfiable.
func (n *RuleNode) Satisfiable() bool {
	index := map[string]int{}
	atom := map[*RuleNode]int{} // each atom node's bit, so eval renders nothing
	nodes := 0
	var collect func(*RuleNode)
	collect = func(n *RuleNode) {
		nodes++
		switch n.Op {
		case RuleWord, RulePhrase, RuleNear:
			s := n.String()
			i, ok := index[s]
			if !ok {
				i = len(index)
				index[s] = i
			}
			atom[n] = i
		}
		for _, k := range n.Kids {
			collect(k)
		}
	}
	collect(n)
	if len(index) > 16 || nodes<<len(index) > 1<<24 {
		return true // too many to enumerate; assume it can
	}
	for mask := 0; mask < 1<<len(index); mask++ {
		var eval func(*RuleNode) bool
		eval = func(n *RuleNode) bool {
			switch n.Op {
			case RuleWord, RulePhrase:
				return mask&(1<<atom[n]) != 0
			case RuleNear:
				return mask&(1<<atom[n]) != 0 && eval(n.Kids[0]) && eval(n.Kids[1])
			case RuleNot:
				return !eval(n.Kids[0])
			case RuleAnd:
				for _, k := range n.Kids {
					if !eval(k) {
						return false
					}
				}
				return true
			}
			for _, k := range n.Kids {
				if eval(k) {
					return true
				}
			}
			return false
		}
		if eval(n) {
			return true
		}
	}
	return false
}
