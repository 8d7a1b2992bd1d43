package tagger

import (
	"slices"
	"strings"

	"github.com/vocmine/vocmine/lexicon"
)

type dimRule struct {
	dim  int
	src  string
	node *ruleNode // the rule's root, compiled (ruleWords.compile)
}

// ruleNode is a rule node compiled for evaluation: a word or phrase has
// its number in the reason's memo, shared by every node of the same word.
type ruleNode struct {
	op   lexicon.RuleOp
	text string
	n    int
	word int // RuleWord, RulePhrase: index into ruleCtx.memo
	kids []*ruleNode
}

// ruleMemo is one word's or phrase's occurrences in the reason, once
// computed (done).
type ruleMemo struct {
	os   []occ
	done bool
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
	// ruleNode.word.
	memo []ruleMemo
}

// evalRules returns a hit for each rule that matches the reason, anchored at
// its earliest word or phrase outside NOT.
// memo is the reason's scratch memo, reused from reason to reason.
func (t *Tagger) evalRules(norm string, spans []span, tokens []string, units []unit, cls []clauseSpan, memo []ruleMemo) ([]ruleHit, []ruleMemo) {
	memo = slices.Grow(memo[:0], t.nRuleWords)[:t.nRuleWords]
	for i := range memo {
		memo[i] = ruleMemo{os: memo[i].os[:0]}
	}
	c := &ruleCtx{norm: norm, spans: spans, tokens: tokens, cls: cls, memo: memo}
	var out []ruleHit
	for _, r := range t.rules {
		ok, at := c.eval(r.node)
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
	return out, memo
}

// eval reports whether n holds, with the earliest occurrence that makes it
// hold (nil under NOT).
func (c *ruleCtx) eval(n *ruleNode) (bool, *occ) {
	switch n.op {
	case lexicon.RuleWord, lexicon.RulePhrase:
		os := c.occurrences(n)
		if len(os) == 0 {
			return false, nil
		}
		return true, &os[0]
	case lexicon.RuleNear:
		for _, a := range c.occurrences(n.kids[0]) {
			for _, b := range c.occurrences(n.kids[1]) {
				if a.clause == b.clause && abs(a.tok-b.tok) <= n.n {
					return true, &occ{a.clause, min(a.tok, b.tok)}
				}
			}
		}
		return false, nil
	case lexicon.RuleNot:
		ok, _ := c.eval(n.kids[0])
		return !ok, nil
	case lexicon.RuleAnd:
		var first *occ
		for _, k := range n.kids {
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
	for _, k := range n.kids {
		if ok, at := c.eval(k); ok {
			found, first = true, earlier(first, at)
		}
	}
	return found, first
}

// occurrences lists where a word (one to four consecutive tokens spelling
// it) or a phrase (a substring of a clause's text) occurs, in order.
func (c *ruleCtx) occurrences(n *ruleNode) []occ {
	m := &c.memo[n.word]
	if m.done {
		return m.os
	}
	os := m.os
	for ci, cl := range c.cls {
		if cl.to <= cl.from {
			continue
		}
		if n.op == lexicon.RulePhrase {
			start := c.spans[cl.from].start
			text := c.norm[start:c.spans[cl.to-1].end]
			for off := 0; ; {
				i := strings.Index(text[off:], n.text)
				if i < 0 {
					break
				}
				at := start + off + i
				tok := cl.from
				for tok+1 < cl.to && c.spans[tok+1].start <= at {
					tok++
				}
				os = append(os, occ{ci, tok})
				off += i + len(n.text)
			}
			continue
		}
		for i := cl.from; i < cl.to; i++ {
			rest := n.text // what the tokens from i must still spell
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
	m.os, m.done = os, true
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

// ruleWords numbers the words and phrases of the rules for ruleCtx's
// memo as compile meets them: nodes of the same word (or phrase) share a
// number, so that a word many rules name (环境 in 34 NEARs) is looked for
// once per reason. len is how many numbers.
type ruleWords map[ruleWord]int

type ruleWord struct {
	op   lexicon.RuleOp
	text string
}

// compile compiles a rule node and its kids.
func (ws ruleWords) compile(n *lexicon.RuleNode) *ruleNode {
	c := &ruleNode{op: n.Op, text: n.Text, n: n.N}
	if n.Op == lexicon.RuleWord || n.Op == lexicon.RulePhrase {
		k := ruleWord{n.Op, n.Text}
		id, ok := ws[k]
		if !ok {
			id = len(ws)
			ws[k] = id
		}
		c.word = id
	}
	for _, k := range n.Kids {
		c.kids = append(c.kids, ws.compile(k))
	}
	return c
}
