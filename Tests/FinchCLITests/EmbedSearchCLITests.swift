import FinchTestSupport
import Foundation
import Testing

/// `finch embed`, `search` and `tokenize` with the real all-MiniLM-L6-v2.
@Suite struct EmbedSearchCLITests {
    @Test func embedMatchesSentenceTransformers() throws {
        let model = try TestSupport.miniLMDirectory().path
        let fixture =
            try JSONSerialization.jsonObject(with: Data(contentsOf: TestSupport.fixtureURL("minilm_embeddings.json"))) as! [String: Any]
        let meta = fixture["meta"] as! [String: String]
        let sentences = try JSONSerialization.jsonObject(with: Data(meta["sentences"]!.utf8)) as! [String]
        let tensors = fixture["tensors"] as! [String: Any]
        let reference = (tensors["embeddings"] as! [String: Any])["data"] as! [Double]
        let input =
            try sentences.map { String(decoding: try JSONSerialization.data(withJSONObject: ["text": $0]), as: UTF8.self) }
            .joined(separator: "\n") + "\n"
        let (status, out, err) = try CLI.run(["embed", "--model", model, "--format", "jsonl", "--batch-size", "16"], stdin: input)
        #expect(status == 0, "\(err)")
        let rows = try out.split(separator: "\n").map { line in
            try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["embedding"] as? [Double])
        }
        #expect(rows.count == sentences.count && sentences.count >= 50)
        let d = 384
        var worst = 0.0
        for (i, row) in rows.enumerated() {
            #expect(row.count == d)
            for j in 0..<d { worst = Swift.max(worst, Swift.abs(row[j] - reference[i * d + j])) }
        }
        #expect(worst < 1e-4, "max abs difference \(worst)")
    }

    @Test func searchAnswersEachQueryAndReusesTheIndex() throws {
        let model = try TestSupport.miniLMDirectory().path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("finch-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let corpus = dir.appendingPathComponent("faq.jsonl")
        try """
        {"id": "pw", "text": "How do I reset my password?"}
        {"id": "ship", "text": "Do you ship to Canada?"}
        {"id": "refund", "text": "How long do refunds take?"}
        """.write(to: corpus, atomically: true, encoding: .utf8)
        let (s1, out1, err1) = try CLI.run(
            ["search", "--model", model, "--corpus", corpus.path, "--top-k", "2"],
            stdin: "I lost my password\nsend a parcel to Toronto\n")
        #expect(s1 == 0, "\(err1)")
        #expect(err1.contains("indexed 3 texts"))
        let answers = try out1.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(answers.count == 2)
        let hits = answers.map { ($0["hits"] as! [[String: Any]]) }
        #expect(hits[0].count == 2 && hits[0][0]["id"] as? String == "pw")
        #expect(hits[1][0]["id"] as? String == "ship")
        #expect(answers[0]["query"] as? String == "I lost my password")
        let (_, _, err2) = try CLI.run(["search", "--model", model, "--corpus", corpus.path], stdin: "refund\n")
        #expect(err2.contains("using the index"))
    }

    @Test func tokenizePrintsIdsTokensAndOffsets() throws {
        let model = try TestSupport.miniLMDirectory().path
        let (status, out, _) = try CLI.run(["tokenize", "--model", model], stdin: "Hello, world!\n")
        #expect(status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        #expect(object["tokens"] as? [String] == ["[CLS]", "hello", ",", "world", "!", "[SEP]"])
        #expect(object["input_ids"] as? [Int] == [101, 7592, 1010, 2088, 999, 102])
        #expect((object["offsets"] as? [[Int]])?[1] == [0, 5])
    }
}
