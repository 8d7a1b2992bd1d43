// Package examples holds vocmine's embedded default example: a telecom NPS
// survey with its lexicon and config, so that `vocmine run` works on a fresh
// clone with no file of the user's.
package examples

import "embed"

//go:generate sh -c "cd telecom && go run gen.go"

// FS holds the example files: telecom/lexicon.yaml and, once generated,
// telecom/config.yaml and telecom/responses.csv.
//
//go:embed telecom
var FS embed.FS
