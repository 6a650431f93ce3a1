import FinchTestSupport
import Foundation
import Testing

/// `finch assistant import / ask / evaluate` with the real all-MiniLM-L6-v2.
@Suite struct AssistantCLITests {
    static let faq = """
        {"id": "pw", "question": "How do I reset my password?", "answer": "Use the 'Forgot password' link.", "category": "account"}
        {"id": "ship", "question": "Do you ship to Canada?", "answer": "Yes, in five working days."}
        {"id": "refund", "question": "How long do refunds take?", "answer": "Ten days after we receive the parcel."}
        {"id": "hours", "question": "When is the support line open?", "answer": "Weekdays from nine to five."}
        {"id": "hours", "question": "When is the support line open?", "answer": "Ask again tomorrow."}
        """

    /// Four queries that repeat a question word for word (one names its entry
    /// by id) and two the FAQ does not answer.
    static let queries = """
        {"query": "How do I reset my password?", "expected": "How do I reset my password?"}
        {"query": "Do you ship to Canada?", "expected": "ship"}
        {"query": "How long do refunds take?", "expected": "How long do refunds take?"}
        {"query": "When is the support line open?", "expected": "When is the support line open?"}
        {"query": "What is the capital of Mongolia?", "expected": null}
        {"query": "Recommend a good pizza topping", "expected": null}
        """

    static func files() throws -> (dir: URL, faq: String, queries: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-assistant-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let faq = dir.appendingPathComponent("faq.jsonl"), queries = dir.appendingPathComponent("queries.jsonl")
        try Data(Self.faq.utf8).write(to: faq)
        try Data(Self.queries.utf8).write(to: queries)
        return (dir, faq.path, queries.path)
    }

    /// Counted by hand: each answerable query is its entry's question word for
    /// word, so every ranking puts it first: hit@1 = hit@3 = MRR@10 = dense
    /// hit@1 = BM25 hit@1 = 4/4 = 1. With threshold 0 and margin −2 nothing is
    /// handed off: precision has no cases (null), recall 0 of the 2 unanswerable,
    /// answered accuracy 4 of 6. With threshold 1 everything is handed off:
    /// precision 2 of 6, recall 2 of 2, answered accuracy has no cases (null).
    @Test func evaluateFiguresCountedByHand() throws {
        let model = try TestSupport.miniLMDirectory().path
        let (_, faq, queries) = try Self.files()
        let base = ["assistant", "evaluate", "--model", model, "--faq", faq, "--queries", queries, "--json"]
        let (s1, out1, err1) = try CLI.run(base + ["--threshold", "0", "--ambiguity-margin=-2"])
        #expect(s1 == 0, "\(err1)")
        let all = try #require(try JSONSerialization.jsonObject(with: Data(out1.utf8)) as? [String: Any])
        #expect(
            Set(all.keys) == [
                "hit_at_1", "hit_at_3", "mrr_at_10", "handoff_precision", "handoff_recall", "answered_accuracy", "dense_hit_at_1",
                "bm25_hit_at_1",
            ])
        for key in ["hit_at_1", "hit_at_3", "mrr_at_10", "dense_hit_at_1", "bm25_hit_at_1"] { #expect(all[key] as? Double == 1, "\(key)") }
        #expect(all["handoff_precision"] is NSNull)
        #expect(all["handoff_recall"] as? Double == 0)
        #expect(Swift.abs((all["answered_accuracy"] as? Double ?? -1) - 4.0 / 6) < 1e-12)
        let (s2, out2, err2) = try CLI.run(base + ["--threshold", "1"])
        #expect(s2 == 0, "\(err2)")
        let none = try #require(try JSONSerialization.jsonObject(with: Data(out2.utf8)) as? [String: Any])
        #expect(Swift.abs((none["handoff_precision"] as? Double ?? -1) - 2.0 / 6) < 1e-12)
        #expect(none["handoff_recall"] as? Double == 1)
        #expect(none["answered_accuracy"] is NSNull)
        let (s3, text, _) = try CLI.run(Array(base.dropLast()) + ["--threshold", "auto"])
        #expect(s3 == 0 && text.contains("hybrid") && text.contains("hand-off precision"))
    }

    @Test func importThenAskAnswersFromTheFolder() throws {
        let model = try TestSupport.miniLMDirectory().path
        let (dir, faq, _) = try Self.files()
        let out = dir.appendingPathComponent("collection").path
        let (s1, summary, err1) = try CLI.run(
            ["assistant", "import", "--model", model, "--faq", faq, "--out", out, "--threshold", "0.25", "--json"])
        #expect(s1 == 0, "\(err1)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        #expect(object["entries"] as? Int == 4 && object["texts"] as? Int == 9 && object["threshold"] as? Double == 0.25)
        #expect(
            FileManager.default.fileExists(atPath: out + "/assistant.json") && FileManager.default.fileExists(atPath: out + "/vectors.bin"))
        let (s2, answers, err2) = try CLI.run(
            ["assistant", "ask", "--collection", out, "--threshold", "0", "--ambiguity-margin=-2"],
            stdin: "How do I reset my password?\n\nWhen is the support line open?\n")
        #expect(s2 == 0, "\(err2)")
        let lines = try answers.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        try #require(lines.count == 3)
        #expect(lines[0]["entry"] as? String == "pw" && lines[0]["handoff"] as? Bool == false)
        #expect(lines[0]["answer"] as? String == "Use the 'Forgot password' link.")
        #expect((lines[0]["alternatives"] as? [[String: Any]])?.count == 3)
        #expect(lines[1]["handoff"] as? Bool == true && lines[1]["entry"] is NSNull)
        #expect(lines[2]["entry"] as? String == "hours" && lines[2]["answer"] as? String == "Weekdays from nine to five.")
        let (s3, _, err3) = try CLI.run(["assistant", "import", "--model", model, "--faq", faq, "--out", out, "--threshold", "2"])
        #expect(s3 == 64 && err3.contains("--threshold must be a number from 0 to 1"))
        let bad = dir.appendingPathComponent("bad.jsonl")
        try Data("{\"question\": \"Q\", \"answer\": \"A\"}\n{\"question\": \"Q2\"}\n".utf8).write(to: bad)
        let (s4, _, err4) = try CLI.run(["assistant", "import", "--model", model, "--faq", bad.path, "--out", out])
        #expect(s4 == 1 && err4.contains("bad.jsonl:2: no column 'answer'"))
    }
}
