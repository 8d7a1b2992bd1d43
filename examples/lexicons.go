package examples

import "embed"

// Lexicons holds the industry lexicons that `vocmine init --industry`
// copies as a user's starter lexicon: telecom/lexicon.yaml (a mobile
// operator's NPS survey), dianping/lexicon.yaml (restaurant reviews) and
// ecommerce/lexicon.yaml (an online shop).
//
//go:embed telecom/lexicon.yaml dianping/lexicon.yaml ecommerce/lexicon.yaml
var Lexicons embed.FS
