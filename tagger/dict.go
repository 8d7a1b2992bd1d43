package tagger

import _ "embed"

//go:generate go run ./internal/gendict

// smallDict is gse's simplified-Chinese dictionary without its rarest words
// (tagger/internal/smalldict): 201k of 352k words, loading in about half
// the time with half the memory. docs/BENCHMARKS.md, "Which dictionary".
//
//go:embed dict/zh_s_small.txt
var smallDict string

// Dictionaries are the values of Config.Dictionary.
var Dictionaries = []string{"zh_s_small", "zh_s", "zh"}
