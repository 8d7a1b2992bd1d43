"""The team's labelled review corpora (../shared/data): waimai_10k.csv,
ChnSentiCorp_htl_all.csv and online_shopping_10_cats.zip, as (label, review) pairs
in file order; label is the corpus's text ("1" positive). For bench/realcorpus.py and
bench/clauses.py."""
import csv, io, zipfile


def reviews(data):
    for name in ["waimai_10k.csv", "ChnSentiCorp_htl_all.csv"]:
        with open(f"{data}/{name}", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                yield r["label"], r["review"]
    with zipfile.ZipFile(f"{data}/online_shopping_10_cats.zip") as z:
        name = [n for n in z.namelist() if n.endswith(".csv")][0]
        with z.open(name) as f:
            for r in csv.DictReader(io.TextIOWrapper(f, encoding="utf-8")):
                yield r["label"], r["review"]
