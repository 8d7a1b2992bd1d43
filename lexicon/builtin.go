package lexicon

import (
	_ "embed"
	"strings"
	"sync"
)

// BuiltinPath is the name the built-in general lexicon goes by in positions.
const BuiltinPath = "builtin:general.yaml"

//go:embed general.yaml
var generalYAML string

var builtin = sync.OnceValue(func() *Lexicon {
	l, err := Load(BuiltinPath, strings.NewReader(generalYAML))
	if err != nil {
		panic("vocmine's built-in lexicon does not load: " + err.Error())
	}
	return l
})

// Builtin returns the general Chinese sentiment, negator, intensifier,
// contrast and junk vocabulary that ships with vocmine (general.yaml). It
// defines no dimensions. The result is shared: do not modify it.
func Builtin() *Lexicon { return builtin() }

// BuiltinYAML returns the source of the built-in lexicon, for documentation.
func BuiltinYAML() string { return generalYAML }
