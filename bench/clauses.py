"""Builds a low-coverage survey CSV from the real clauses of the team's review corpora
(../shared/data: waimai_10k.csv, ChnSentiCorp_htl_all.csv, online_shopping_10_cats.zip):
short reasons of one to three clauses joined by "，", cut from the reviews at clause
punctuation, with the columns of vocmine gen. With the restaurant lexicon
(examples/dianping/lexicon.yaml) about a third of them are tagged, which is what a first
lexicon on a new survey looks like (issue 16). The scores are SYNTHETIC, drawn from the
review's sentiment label (positive 7-10, negative 0-6). Deterministic (seeded).
Usage: /usr/bin/python3 bench/clauses.py ../shared/data OUT.csv [ROWS, default 1000000]
"""
import csv, random, re, sys

import corpora

data, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
rng = random.Random(16)
clauses = {True: [], False: []}  # by label: positive or not
split = re.compile(r"[，。！？!?；;,~～\s]+")

def add(label, text):
    for c in split.split(text or ""):
        if 4 <= len(c) <= 40:
            clauses[str(label).strip() == "1"].append(c)

for label, text in corpora.reviews(data):
    add(label, text)

seen, chars = set(), 0
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["respondent_id", "q1", "q2_reason", "gender", "age_band", "member_level", "region", "channel"])
    for i in range(n):
        positive = rng.random() < 0.5
        pool = clauses[positive]
        k = rng.choices([1, 2, 3], weights=[45, 45, 10])[0]
        text = "，".join(rng.choice(pool) for _ in range(k))
        seen.add(text)
        chars += len(text)
        score = rng.choice([7, 8, 9, 9, 10, 10]) if positive else rng.choice([0, 1, 2, 3, 4, 5, 6, 6])
        w.writerow([f"L{i + 1:07d}", score, text, rng.choice("男女"), rng.choice(["18-24", "25-34", "35-44"]),
                    rng.choice(["普通", "金卡"]), rng.choice(["华东", "西北"]), "线上"])
print(f"{out}: {n} reasons from {len(clauses[True]) + len(clauses[False])} real clauses, "
      f"{len(seen) / n:.0%} unique, {chars / n:.1f} characters on average, synthetic scores", file=sys.stderr)
