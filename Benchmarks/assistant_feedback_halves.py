"""Feedback experiment of issue 13 against a running `finch serve` (stdlib only).

    python3 Benchmarks/assistant_feedback_halves.py URL KEY COLLECTION QUERIES.jsonl [SEED]

Asks every answerable query of QUERIES.jsonl (`{"query", "expected"}`, `expected` the FAQ question
text; both the tune and the report sets), splits the wrongly answered ones (top entry is not the
expected one) into two halves by a seeded shuffle, posts the right entry as feedback
(`POST /v1/feedback {"collection", "query", "entry"}`) for the first half only, and asks everything
again. Prints one JSON object: hit@1 before and after on the fed-back half, on the half never fed
back, and on the queries that were right before (which must not drop).
"""
import json
import random
import sys
import urllib.request


def call(url, key, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {key}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"null")


def main():
    url, key, collection, queries_path = sys.argv[1:5]
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 7
    entries = call(url, key, "GET", f"/v1/assistant/{collection}/entries")["entries"]
    by_question = {e["question"]: e["id"] for e in entries}
    queries = [json.loads(line) for line in open(queries_path, encoding="utf-8") if line.strip()]
    answerable = [q for q in queries if q.get("expected") is not None]
    for q in answerable:
        if q["expected"] not in by_question:
            sys.exit(f"expected question not in the collection: {q['expected']!r}")

    def top(q, session):
        return call(url, key, "POST", f"/v1/assistant/{collection}/ask", {"query": q["query"], "session": session})["entry"]

    before = {q["query"]: top(q, "before") for q in answerable}
    wrong = [q for q in answerable if before[q["query"]] != by_question[q["expected"]]]
    right = [q for q in answerable if before[q["query"]] == by_question[q["expected"]]]
    order = list(wrong)
    random.Random(seed).shuffle(order)
    fed, held = order[: (len(order) + 1) // 2], order[(len(order) + 1) // 2 :]
    for q in fed:
        call(url, key, "POST", "/v1/feedback", {"collection": collection, "query": q["query"], "entry": by_question[q["expected"]]})
    after = {q["query"]: top(q, "after") for q in answerable}

    def hit(group, answers):
        return round(sum(answers[q["query"]] == by_question[q["expected"]] for q in group) / len(group), 4) if group else None

    print(json.dumps({
        "collection": collection, "answerable": len(answerable), "wrong_before": len(wrong), "fed_back": len(fed),
        "never_fed_back": len(held), "right_before": len(right),
        "hit_at_1_all": {"before": hit(answerable, before), "after": hit(answerable, after)},
        "fed_back_half": {"before": hit(fed, before), "after": hit(fed, after)},
        "never_fed_back_half": {"before": hit(held, before), "after": hit(held, after)},
        "right_before": {"before": hit(right, before), "after": hit(right, after)},
        "still_wrong_never_fed_back": [q["query"] for q in held if after[q["query"]] != by_question[q["expected"]]],
    }))


if __name__ == "__main__":
    main()
