// Package lextool holds the lexicon author's measuring tools: Evaluate
// compares an engine's tags with hand labels (`vocmine lexicon eval`),
// Sample draws reasons for a person to label (`vocmine lexicon sample`),
// and Naive is the substring baseline the tagger is measured against.
//
// Evaluate is pure: tagged reviews and gold labels in, a Report out, the
// same for the same inputs (its bootstrap is seeded).
package lextool
