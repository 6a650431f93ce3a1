import FinchTestSupport
import Foundation
import Testing

/// Either GEMM backend, chosen by FINCH_GEMM in a fresh process, gives the
/// reference's sentence embeddings and trains: the switch changes speed, not results.
@Suite struct GEMMBackendCLITests {
    @Test(arguments: ["finch", "blas"])
    func embedMatchesSentenceTransformers(backend: String) throws {
        let model = try TestSupport.miniLMDirectory().path
        let data = try Data(contentsOf: TestSupport.fixtureURL("minilm_embeddings.json"))
        let fixture = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let meta = fixture["meta"] as! [String: String]
        let sentences = try JSONSerialization.jsonObject(with: Data(meta["sentences"]!.utf8)) as! [String]
        let reference = ((fixture["tensors"] as! [String: Any])["embeddings"] as! [String: Any])["data"] as! [Double]
        let input =
            try sentences.map { String(decoding: try JSONSerialization.data(withJSONObject: ["text": $0]), as: UTF8.self) }
            .joined(separator: "\n") + "\n"
        let (status, out, err) = try CLI.run(
            ["embed", "--model", model, "--format", "jsonl", "--batch-size", "16"], stdin: input,
            environment: ["FINCH_GEMM": backend])
        #expect(status == 0, "\(err)")
        let rows = try out.split(separator: "\n").map { line in
            try #require((try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["embedding"] as? [Double])
        }
        #expect(rows.count == sentences.count)
        var worst = 0.0
        for (i, row) in rows.enumerated() where row.count == 384 {
            for j in 0..<384 { worst = Swift.max(worst, Swift.abs(row[j] - reference[i * 384 + j])) }
        }
        #expect(worst < 1e-4, "FINCH_GEMM=\(backend): max abs difference \(worst)")
        let (_, doctor, _) = try CLI.run(["doctor", "--json"], environment: ["FINCH_GEMM": backend])
        #expect(doctor.contains("\"gemm\":\"\(backend)\""))
    }

    @Test func trainingRunsOnFinchsGEMM() throws {
        let (status, out, err) = try CLI.run(["demo", "--epochs", "40"], environment: ["FINCH_GEMM": "finch"])
        #expect(status == 0, "\(err)")
        let summary = try #require(out.split(separator: "\n").last)
        let numbers = summary.split(whereSeparator: { " ,→%".contains($0) }).compactMap { Double($0) }
        #expect(numbers.count == 3)
        #expect(numbers.count == 3 && numbers[1] < numbers[0] / 4, "loss should fall: \(summary)")
    }
}
