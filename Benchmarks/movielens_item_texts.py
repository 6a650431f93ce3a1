#!/usr/bin/env python3
"""Item texts for the hybrid recommender benchmark (run by Benchmarks/run_recommend_hybrid.sh).

    movielens_item_texts.py ITEMS_CSV ITEMS_JSONL TEXTS_JSONL

ITEMS_CSV is MovieLens-100k's items.csv (itemId,title,releaseDate,genres,imdbUrl; genres
separated by "|"). Writes ITEMS_JSONL, the `finch recommend train --item-text` format
({"item", "title", "text", "categories"}), and TEXTS_JSONL ({"text"} per line, same order) for
`finch embed --format jsonl`. The text is "TITLE. Genres: G1, G2." Standard library only.
"""
import csv
import json
import sys


def main():
    source, items_path, texts_path = sys.argv[1:4]
    with open(source, newline="", encoding="utf-8") as f, open(items_path, "w") as items, open(texts_path, "w") as texts:
        for row in csv.DictReader(f):
            genres = [g for g in row["genres"].split("|") if g and g != "unknown"]
            text = row["title"] + (". Genres: " + ", ".join(genres) + "." if genres else ".")
            items.write(json.dumps({"item": row["itemId"], "title": row["title"], "text": text, "categories": genres}) + "\n")
            texts.write(json.dumps({"text": text}) + "\n")


if __name__ == "__main__":
    main()
