package tagger

import (
	"strings"

	"github.com/vocmine/vocmine/lexicon"
)

type dimRule struct {
	dim  int
	src  string
	root *lexicon.RuleNode
}

// ruleHit is a rule that matched, anchored at a unit of a clause: the
// dimension is named there, and the clause's cues give it its polarity.
type ruleHit struct {
	dim, clause, unit int // unit: index into the reason's units
	rule              string
}

// occ is where a rule's word or phrase occurs: a clause and a token.
type occ struct{ clause, tok int }

// ruleCtx evaluates rules on one reason.
type ruleCtx struct {
	norm   string
	spans  []span
	tokens []string
	cls    []clauseSpan
	// memo holds the occurrences of each word and phrase of the rules, by
	// the node's index in Tagger.ruleWords; done says which are computed.
	index map[*lexicon.RuleNode]int
	memo  [][]occ
	done  []bool
}

// evalRules returns a hit for each rule that matches the reason, anchored at
// its earliest word or phrase outside NOT.
func (t *Tagger) evalRules(norm string, spans []span, tokens []string, units []unit, cls []clauseSpan) []ruleHit {
	c := &ruleCtx{norm: norm, spans: spans, tokens: tokens, cls: cls, index: t.ruleWords,
		memo: make([][]occ, t.nRuleWords), done: make([]bool, t.nRuleWords)}
	var out []ruleHit
	for _, r := range t.rules {
		ok, at := c.eval(r.root)
		if !ok || at == nil {
			continue
		}
		// The unit holding the anchor token.
		cl := cls[at.clause]
		u := cl.ufrom
		for i := cl.ufrom; i < cl.uto && units[i].tok <= at.tok; i++ {
			u = i
		}
		out = append(out, ruleHit{dim: r.dim, clause: at.clause, unit: u, rule: r.src})
	}
	return out
}

// eval reports whether n holds, with the earliest occurrence that makes it
// hold (nil under NOT).
func (c *ruleCtx) eval(n *lexicon.RuleNode) (bool, *occ) {
	switch n.Op {
	case lexicon.RuleWord, lexicon.RulePhrase:
		os := c.occurrences(n)
		if len(os) == 0 {
			return false, nil
		}
		return true, &os[0]
	case lexicon.RuleNear:
		for _, a := range c.occurrences(n.Kids[0]) {
			for _, b := range c.occurrences(n.Kids[1]) {
				if a.clause == b.clause && abs(a.tok-b.tok) <= n.N {
					return true, &occ{a.clause, min(a.tok, b.tok)}
				}
			}
		}
		return false, nil
	case lexicon.RuleNot:
		ok, _ := c.eval(n.Kids[0])
		return !ok, nil
	case lexicon.RuleAnd:
		var first *occ
		for _, k := range n.Kids {
			ok, at := c.eval(k)
			if !ok {
				return false, nil
			}
			first = earlier(first, at)
		}
		return true, first
	}
	var first *occ
	found := false
	for _, k := range n.Kids {
		if ok, at := c.eval(k); ok {
			found, first = true, earlier(first, at)
		}
	}
	return found, first
}

// occurrences lists where a word (one to four consecutive tokens spelling
// it) or a phrase (a substring of a clause's text) occurs, in order.
func (c *ruleCtx) occurrences(n *lexicon.RuleNode) []occ {
	k := c.index[n]
	if c.done[k] {
		return c.memo[k]
	}
	var os []occ
	for ci, cl := range c.cls {
		if cl.to <= cl.from {
			continue
		}
		if n.Op == lexicon.RulePhrase {
			start := c.spans[cl.from].start
			text := c.norm[start:c.spans[cl.to-1].end]
			for off := 0; ; {
				i := strings.Index(text[off:], n.Text)
				if i < 0 {
					break
				}
				at := start + off + i
				tok := cl.from
				for tok+1 < cl.to && c.spans[tok+1].start <= at {
					tok++
				}
				os = append(os, occ{ci, tok})
				off += i + len(n.Text)
			}
			continue
		}
		for i := cl.from; i < cl.to; i++ {
			rest := n.Text // what the tokens from i must still spell
			for j := i; j < min(cl.to, i+maxSpanTokens); j++ {
				if !strings.HasPrefix(rest, c.tokens[j]) {
					break
				}
				if rest = rest[len(c.tokens[j]):]; rest == "" {
					os = append(os, occ{ci, i})
					break
				}
			}
		}
	}
	c.memo[k], c.done[k] = os, true
	return os
}

func earlier(a, b *occ) *occ {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case b.clause < a.clause || b.clause == a.clause && b.tok < a.tok:
		return b
	}
	return a
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// indexRuleWords numbers the word and phrase nodes of the rules, for
// ruleCtx's memo: nodes of the same word (or phrase) share a number, so
// that a word many rules name (环境 in 34 NEARs) is looked for once per
// reason.
func indexRuleWords(rules []dimRule) (map[*lexicon.RuleNode]int, int) {
	type key struct {
		op   lexicon.RuleOp
		text string
	}
	out, ids := map[*lexicon.RuleNode]int{}, map[key]int{}
	var walk func(n *lexicon.RuleNode)
	walk = func(n *lexicon.RuleNode) {
		if n.Op == lexicon.RuleWord || n.Op == lexicon.RulePhrase {
			k := key{n.Op, n.Text}
			id, ok := ids[k]
			if !ok {
				id = len(ids)
				ids[k] = id
			}
			out[n] = id
		}
		for _, k := range n.Kids {
			walk(k)
		}
	}
	for _, r := range rules {
		walk(r.root)
	}
	return out, len(ids)
}
