package lexicon

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Normalize is the one text normalization shared by lexicon words and the
// reasons being tagged, so that they meet: invalid UTF-8 becomes U+FFFD,
// full-width forms become their narrow twins ("５Ｇ" -> "5G", "，" -> ","), and
// letters are lower-cased ("APP" -> "app"). Text that needs none of it is
// returned as is, without allocating; text whose only full-width characters
// are punctuation is left as it is, since punctuation ends clauses either way.
func Normalize(s string) string {
	if !needsNormalizing(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ToLower(width.Fold.String(s))
}

func needsNormalizing(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return true
		case r >= 0xFF10 && r <= 0xFF5A || r >= 0xFF61 && r <= 0xFFDC:
			// Full-width digits and letters (ＡＰＰ, ５Ｇ) and half-width
			// katakana. Full-width punctuation alone ("，") needs no folding:
			// it ends clauses as it is.
			return true
		case r < 0x3000 && unicode.IsUpper(r):
			return true // other scripts' capitals; CJK has none
		}
		i += size
	}
	return false
}
