#!/usr/bin/env bash
# Reproduces the tables of docs/ACCURACY.md: examples/dianping scored by
# `vocmine lexicon eval` on one part of aic2018 (../shared/data/aic2018,
# research use only: read here, never copied), with the naive substring
# matcher and with the tagger of each engine change, everything else (the
# lexicon, the built-in vocabulary, eval) as in the working tree; then the
# telecom example on generated reasons. Whole-review sentiment on the shared
# corpora: go test ./tagger -run SentimentCorpora -v.
# Usage: bench/accuracy.sh [dev|train]   (default dev: report on dev, tune on train)
set -euo pipefail
cd "$(dirname "$0")/.."
part=${1:-dev}
data=${VOCMINE_BENCH_DATA:-../shared/data}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go run examples/dianping/export.go -data "$data/aic2018" -part "$part" -out "$work/in.csv" -gold "$work/gold.csv" >/dev/null

# The engine changes of issue 14, oldest first: the tagger of each commit.
steps=(
  "435cc1f before (session 3's engine, weighted cues)"
  "1ae6495 + the next clause's opinion (服务员，很热情)"
  "2d18886 + named in passing: the review's polarity"
  "d059ce2 + 好 as a degree adverb before a cue"
  "60cdcd4 + a space between Chinese words ends a clause"
  "1f83f77 + no empty clauses; a one-character cue before a number is an adverb"
  "8c8531d + an intensified neutral word is a mild complaint (很一般)"
  "784df82 + a dimension's mixed (菜品/口味) and tagger.mixed_sentiment"
  "78171df + a phrase that opens with a term names its dimension"
  "WORKTREE + neutral words lean the overall sentiment (today)"
)

row() { # name, eval.json
  jq -r --arg n "$1" '[$n, (.micro.pair.f1.value, .micro.mention.f1.value, .micro.negative.f1.value,
      .micro.polarity_accuracy.value, .sentiment.accuracy.value | if . == null then "-" else . * 1000 | round / 1000 end)] | @tsv' "$2"
}
evaluate() { # binary, name, extra flags...
  local bin=$1 name=$2
  shift 2
  "$bin" lexicon eval --config examples/dianping/config.yaml --input "$work/in.csv" --gold "$work/gold.csv" \
    --map examples/dianping/aspects.csv --examples 0 --out "$work/out" "$@" >/dev/null
  row "$name" "$work/out/eval.json"
}

go build -o "$work/vocmine" ./cmd/vocmine
(cd "$work" && ./vocmine gen --rows 20000 --seed 7 --out tel.csv --gold tel-gold.csv >/dev/null)
bins=()
for step in "${steps[@]}"; do
  rev=${step%% *}
  if [ "$rev" = WORKTREE ]; then
    bins+=("$work/vocmine")
    continue
  fi
  tree="$work/tree-$rev"
  mkdir -p "$tree"
  # The working tree, with the tagger's code (not its tests) of the commit.
  git ls-files -co --exclude-standard | grep -v '^tagger/[^/]*\.go$' | tar -cf - -T - | tar -xf - -C "$tree"
  git archive "$rev" tagger | tar -xf - -C "$tree" --wildcards 'tagger/*.go' --exclude='*_test.go'
  for field in Passing PassingClauses MixedSentiment; do # settings newer than the commit
    if ! grep -Eq "^\s+$field\s" "$tree/tagger/tagger.go"; then
      sed -i "/^\s*$field: *cfg\.Tagger\.$field,/d" "$tree/pipeline/run.go"
    fi
  done
  (cd "$tree" && go build -o "$work/vocmine-$rev" ./cmd/vocmine)
  bins+=("$work/vocmine-$rev")
done

printf 'aic2018 %s, examples/dianping\nengine\tpair F1\tmention F1\tnegative F1\tpolarity acc\tsentiment acc\n' "$part"
evaluate "$work/vocmine" "naive substring matcher" --engine naive
for i in "${!steps[@]}"; do
  evaluate "${bins[$i]}" "${steps[$i]#* }"
done

echo
echo "telecom example, 20,000 generated reasons (vocmine gen --rows 20000 --seed 7 --gold)"
printf 'engine\tpair F1\tmention F1\tnegative F1\tpolarity acc\n'
for i in "${!steps[@]}"; do
  "${bins[$i]}" lexicon eval --config examples/telecom/config.yaml --input "$work/tel.csv" --gold "$work/tel-gold.csv" \
    --examples 0 --out "$work/tel" >/dev/null
  row "${steps[$i]#* }" "$work/tel/eval.json" | cut -f1-5
done
