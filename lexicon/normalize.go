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
	switch needsNormalizing(s) {
	case asIs:
		return s
	case asciiUpper:
		// The common case ("APP", "WiFi" in Chinese text): one pass, one
		// allocation, instead of the three of the general path.
		var b strings.Builder
		b.Grow(len(s))
		for i := 0; i < len(s); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
		}
		return b.String()
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ToLower(width.Fold.String(s))
}

// What a text needs from Normalize.
const (
	asIs       = iota
	asciiUpper // only ASCII capitals to lower
	general    // invalid UTF-8, full-width forms, other scripts' capitals
)

func needsNormalizing(s string) int {
	need := asIs
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				need = asciiUpper
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return general
		case r >= 0xFF10 && r <= 0xFF5A || r >= 0xFF61 && r <= 0xFFDC:
			// Full-width digits and letters (ＡＰＰ, ５Ｇ) and half-width
			// katakana. Full-width punctuation alone ("，") needs no folding:
			// it ends clauses as it is.
			return general
		case r < 0x3000 && unicode.ToLower(r) != r:
			return general // other scripts' capitals ("Ω", "Ⅲ"); CJK has none
		}
		i += size
	}
	return need
}
