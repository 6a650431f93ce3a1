"""Writes the 2,000-entry FAQ of Benchmarks/run_assistant_serve.sh: the distinct questions of the
shared chatterbot_english.jsonl (748 entries, their answers kept), repeated with the question
suffixed " (copy K)" for K = 2, 3 until there are 2,000 entries. Repeated entries, not new
content: the point is the index size the /ask latency is measured at.

    python assistant_bench_faq.py ../shared/data/faq/chatterbot_english.jsonl OUT.jsonl [2000]
"""

import json
import sys

source, out = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
entries = {}
for line in open(source, encoding="utf-8"):
    row = json.loads(line)
    key = " ".join(row["question"].split())
    entries.setdefault(key, {"question": row["question"], "answers": []})["answers"].append(row["answer"])
base = list(entries.values())
with open(out, "w", encoding="utf-8") as f:
    written = 0
    copy = 1
    while written < count:
        for e in base:
            if written == count:
                break
            question = e["question"] if copy == 1 else f"{e['question']} (copy {copy})"
            for answer in e["answers"]:
                f.write(json.dumps({"id": f"e{written}", "question": question, "answer": answer}, ensure_ascii=False) + "\n")
            written += 1
        copy += 1
print(f"{written} entries from {len(base)} distinct questions", file=sys.stderr)
