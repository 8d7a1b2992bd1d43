"""Builds a survey CSV from the team's real review corpora (../shared/data):
waimai_10k.csv, ChnSentiCorp_htl_all.csv and online_shopping_10_cats.zip, with the
columns of vocmine gen. The scores are SYNTHETIC, drawn from each review's
sentiment label (positive 7-10, negative 0-6): the corpora carry no score.
Usage: /usr/bin/python3 bench/realcorpus.py ../shared/data OUT.csv
"""
import csv, random, sys

import corpora

data, out = sys.argv[1], sys.argv[2]
rng = random.Random(5)
rows = []
def add(label, text):
    if not text:
        return
    score = rng.choice([7, 8, 9, 9, 10, 10]) if str(label).strip() == "1" else rng.choice([0, 1, 2, 3, 4, 5, 6, 6])
    rows.append((f"C{len(rows) + 1:07d}", score, text.replace("\r", " ")))
for label, text in corpora.reviews(data):
    add(label, text)
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["respondent_id", "q1", "q2_reason", "gender", "age_band", "member_level", "region", "channel"])
    for rid, score, text in rows:
        w.writerow([rid, score, text, rng.choice("男女"), rng.choice(["18-24", "25-34", "35-44"]), rng.choice(["普通", "金卡"]), rng.choice(["华东", "西北"]), "线上"])
print(f"{out}: {len(rows)} real reviews, synthetic scores", file=sys.stderr)
