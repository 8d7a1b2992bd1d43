package lextool_test

import (
	"fmt"
	"strings"

	"github.com/vocmine/vocmine/lextool"
	"github.com/vocmine/vocmine/tagger"
)

func ExampleEvaluate() {
	dims := []string{"服务/态度", "价格"}
	gold, err := lextool.ReadGold(strings.NewReader("id,dimension,polarity\nR1,服务/态度,positive\nR2,价格,negative\n"), "gold.csv", nil, dims)
	if err != nil {
		fmt.Println(err)
		return
	}
	tag := func(dim, term string, p tagger.Polarity) tagger.Tag {
		return tagger.Tag{Dimension: dim, Polarity: p, Term: term}
	}
	reviews := []lextool.Review{
		{ID: "R1", Result: tagger.Result{Text: "服务很好", Tags: []tagger.Tag{tag("服务/态度", "服务", tagger.Positive)}}},
		{ID: "R2", Result: tagger.Result{Text: "价格不便宜", Tags: []tagger.Tag{tag("价格", "价格", tagger.Positive)}}},
		{ID: "R3", Result: tagger.Result{Text: "服务员", Tags: []tagger.Tag{tag("服务/态度", "服务员", tagger.Neutral)}}},
	}
	rep := lextool.Evaluate(reviews, gold, lextool.Options{Dimensions: lextool.ScoredDimensions(gold, nil, dims), Examples: 1})
	m := rep.Micro
	fmt.Printf("mention P %.2f R %.2f; pair P %.2f R %.2f F1 %.2f\n", m.Mention.Precision.Value, m.Mention.Recall.Value,
		m.Pair.Precision.Value, m.Pair.Recall.Value, m.Pair.F1.Value)
	for _, e := range rep.Examples {
		fmt.Println(e.Dimension, e.Kind, e.ID, e.Gold, "->", e.Predicted)
	}
	// Output:
	// mention P 0.67 R 1.00; pair P 0.33 R 0.50 F1 0.40
	// 服务/态度 false_positive R3 absent -> neutral
	// 价格 wrong_polarity R2 negative -> positive
}
