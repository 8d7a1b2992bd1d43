// Package lextool holds the lexicon author's measuring tools: Evaluate
// compares an engine's tags with hand labels (`vocmine lexicon eval`),
// Sample draws reasons for a person to label (`vocmine lexicon sample`),
// Naive is the substring baseline the tagger is measured against,
// Coverage measures which reasons the lexicons tag and which words the
// untagged ones use (`vocmine lexicon coverage`), and LexiconDiff reports
// what a lexicon change gains and loses per dimension (`vocmine lexicon
// diff`).
//
// Evaluate is pure: tagged reviews and gold labels in, a Report out, the
// same for the same inputs (its bootstrap is seeded).
package lextool
