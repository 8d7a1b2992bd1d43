#!/usr/bin/env bash
# End-to-end comparison on this machine, in one go: vocmine run vs gse
# segmentation alone vs the pandas+jieba notebook way, on generated surveys
# of unique reasons (vocmine gen) at the sizes given (default 200000 and
# 1000000), printing wall time, rows/s, peak RSS and ratios. The size "real" runs the
# team's real review corpora instead (../shared/data, 82k reviews; scores synthetic,
# drawn from each review's sentiment label: see bench/realcorpus.py). The size "clauses"
# runs 1M short reasons cut from the real clauses of those corpora with the restaurant
# lexicon, which tags about 30% of them: low coverage, as a first lexicon on a new survey
# (bench/clauses.py); "clauses:N" does the same with N reasons (clauses:10000000 for the
# 10M memory check). Each size is run with the report (the default) and without it.
# Default: 200000 1000000 real clauses, every bench input.
# Needs: Go; /usr/bin/time; Debian's python3-pandas, python3-jieba, python3-yaml
# (apt-get install -y time python3-pandas python3-jieba python3-yaml).
# Set NOTEBOOK_MAX_ROWS to skip the notebook above a size (default 1000000), RUNS
# for the runs of vocmine and gse-alone whose median is kept (default 3; the
# notebook runs once).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-200000 1000000 real clauses}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/vocmine" ./cmd/vocmine
go build -o "$work/gsealone" ./bench/gsealone
mkdir -p "$work/lc"
cp examples/telecom/config.yaml "$work/lc/config.yaml"
cp examples/dianping/lexicon.yaml "$work/lc/lexicon.yaml" # the telecom survey's columns, the restaurant lexicon

measure() { # label command...: prints "label seconds peak_kb"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
  read -r secs kb < "$work/time"
  echo "$label $secs $kb"
}

median() { # lines "label seconds kb" on stdin: the line of the median time
  sort -k2 -n | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'
}
runs=${RUNS:-3} # runs of vocmine and gse-alone, interleaved; the median is kept

for n in ${sizes[@]}; do
  lex=examples/telecom/lexicon.yaml; cfg=examples/telecom/config.yaml
  if [ "${n%%:*}" = clauses ]; then
    rows=1000000; [ "$n" = clauses ] || rows=${n#clauses:}
    /usr/bin/python3 bench/clauses.py ../shared/data "$work/s.csv" "$rows"
    n=$rows; lex="$work/lc/lexicon.yaml"; cfg="$work/lc/config.yaml"
    echo "== low coverage: $n reasons from real clauses, restaurant lexicon, $(nproc) cores"
  elif [ "$n" = real ]; then
    /usr/bin/python3 bench/realcorpus.py ../shared/data "$work/s.csv"
    n=$(($(wc -l < "$work/s.csv") - 1))
    echo "== real corpora, $n reviews (lines), $(nproc) cores"
  else
    "$work/vocmine" gen --rows "$n" --seed 7 --out "$work/s.csv" > /dev/null
    echo "== $n rows, unique reasons, $(nproc) cores"
  fi
  : > "$work/v"; : > "$work/g"; : > "$work/gseg"; : > "$work/vr"; : > "$work/rs"
  for _ in $(seq "$runs"); do
    measure vocmine "$work/vocmine" run --config "$cfg" --input "$work/s.csv" --out "$work/out-v" --date 2026-01-01 >> "$work/v"
    # The report stage as the run itself timed it (manifest.json), beside the run's wall time:
    # the difference of two whole-run medians is mostly noise on a loaded machine.
    /usr/bin/python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m["stage_seconds"]["report"], sys.argv[2])' \
      "$work/out-v/_runs/run_date=2026-01-01/manifest.json" "$(tail -1 "$work/v" | cut -d' ' -f2)" >> "$work/rs"
    measure vocmine-no-report env VOCMINE_OUTPUT_REPORT=false "$work/vocmine" run --config "$cfg" --input "$work/s.csv" --out "$work/out-v" --date 2026-01-01 >> "$work/vr"
    measure gse-alone "$work/gsealone" "$work/s.csv" "$lex" >> "$work/g"
    grep -o 'segment [0-9.]*s' "$work/out" | tr -dc '0-9.' | sed 's/^/seg /; s/$/ 0\n/' >> "$work/gseg"
  done
  echo "vocmine runs: $(cut -d' ' -f2 "$work/v" | tr '\n' ' ')"
  awk '{ s = 100 * $1 / $2; if (s > m) m = s; printf "report stage %.2fs of %.2fs; ", $1, $2 } END { printf "at most %.1f%% of a run\n", m }' "$work/rs"
  v=$(median < "$work/v"); vr=$(median < "$work/vr"); g=$(median < "$work/g"); gseg=$(median < "$work/gseg" | cut -d' ' -f2)
  echo "$v"; echo "$vr"; echo "$g (segmentation alone: ${gseg}s)"
  if [ "$n" -le "${NOTEBOOK_MAX_ROWS:-1000000}" ]; then
    nb=$(measure notebook /usr/bin/python3 bench/notebook.py "$work/s.csv" "$lex" lexicon/general.yaml "$work/out-nb")
    echo "$nb"
  fi
  awk -v runs="$runs" -v n="$n" -v v="$v" -v vr="$vr" -v g="$g" -v gseg="$gseg" -v nb="${nb:-}" 'BEGIN {
    split(v, a, " "); split(g, b, " "); split(nb, c, " "); split(vr, d, " ")
    printf "medians of %d: vocmine %.0f rows/s, peak %.0f MB; vocmine / gse-alone (whole process) %.2f; vocmine / segmentation alone %.2f\n", runs, n/a[2], a[3]/1024, a[2]/b[2], a[2]/gseg
    printf "report off: %.0f rows/s, peak %.0f MB; the report is %.0f%% of the default run\n", n/d[2], d[3]/1024, 100*(a[2]-d[2])/a[2]
    if (nb != "") printf "notebook / vocmine %.1fx, report off %.1fx (notebook peak %.0f MB)\n", c[2]/a[2], c[2]/d[2], c[3]/1024
  }'
  nb=""
done
