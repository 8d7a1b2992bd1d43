"""The notebook way, as an analyst writes it today: pandas reads the export,
jieba segments each reason (the lexicon's words added to its dictionary),
a loop over the lexicon's keywords tags dimensions with a polarity (a
sentiment word in the reason, flipped by a negator just before it), and
groupby computes mention rates per group and NPS per segment.

Same inputs and the same lexicon as vocmine, and the same outputs in kind
(tagged rows, mention rates, NPS); it writes CSV because Debian has no
pyarrow, which favours it. Usage:
    /usr/bin/python3 bench/notebook.py survey.csv examples/telecom/lexicon.yaml lexicon/general.yaml OUTDIR
"""
import sys, os, time
import yaml
import jieba
import pandas as pd

t0 = time.time()
path, lexicon_path, general_path, out = sys.argv[1:5]
jieba.setLogLevel(60)
lex = yaml.safe_load(open(lexicon_path, encoding="utf-8"))
gen = yaml.safe_load(open(general_path, encoding="utf-8"))
pos = set(gen["sentiment"]["positive"])
neg = set(gen["sentiment"]["negative"])
negators = set(gen["negators"])
dims = []
for d in lex["dimensions"]:
    terms = set(d.get("terms", [])) | set(d.get("positive_terms", [])) | set(d.get("negative_terms", []))
    pos |= set(d.get("positive_terms", []))
    neg |= set(d.get("negative_terms", []))
    dims.append((d["name"], terms))
for w in set().union(*[t for _, t in dims]) | pos | neg | negators:
    jieba.add_word(str(w))
jieba.initialize()
t_load = time.time() - t0

df = pd.read_csv(path, dtype=str).dropna(subset=["respondent_id", "q1"])
df = df[df["q1"].str.fullmatch(r"\d+")]
df["score"] = df["q1"].astype(int)
df = df[(df.score >= 0) & (df.score <= 10)].drop_duplicates("respondent_id")
df["group"] = pd.cut(df.score, [-1, 6, 8, 10], labels=["detractor", "passive", "promoter"])
df["q2_reason"] = df["q2_reason"].fillna("")

rows = []
for rid, text in zip(df["respondent_id"], df["q2_reason"]):
    tokens = jieba.lcut(text)
    polarity = 0
    for i, tok in enumerate(tokens):
        p = 1 if tok in pos else -1 if tok in neg else 0
        if p and i > 0 and tokens[i - 1] in negators:
            p = -p
        polarity += p
    for name, terms in dims:
        if any(tok in terms for tok in tokens):
            rows.append((rid, name, "positive" if polarity > 0 else "negative" if polarity < 0 else "neutral"))
mentions = pd.DataFrame(rows, columns=["respondent_id", "dimension", "polarity"]).merge(df[["respondent_id", "group"]], on="respondent_id")

sizes = df.groupby("group", observed=True).size()
rates = mentions.groupby(["group", "dimension", "polarity"], observed=True).respondent_id.nunique().unstack(fill_value=0)
rates["mentions"] = rates.sum(axis=1)
rates = rates.join(sizes.rename("respondents"), on="group")
rates["mention_rate"] = rates["mentions"] / rates["respondents"]
nps = []
for seg in ["all", "gender", "age_band", "member_level", "region"]:
    g = df.assign(all="all").groupby(seg).group.value_counts(normalize=True).unstack(fill_value=0)
    g["nps"] = 100 * (g.get("promoter", 0) - g.get("detractor", 0))
    nps.append(g.assign(segment=seg))
os.makedirs(out, exist_ok=True)
mentions.to_csv(os.path.join(out, "mentions.csv"), index=False)
rates.to_csv(os.path.join(out, "mention_rates.csv"))
pd.concat(nps).to_csv(os.path.join(out, "nps.csv"))
print(f"notebook: {len(df)} rows, {len(mentions)} mentions, load {t_load:.2f}s, total {time.time() - t0:.2f}s", file=sys.stderr)
