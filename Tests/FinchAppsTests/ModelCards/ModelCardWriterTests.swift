import FinchApps
import FinchRecommend
import FinchTrain
import Foundation
import Testing

/// `ModelCardWriter.write(folder:run:finchVersion:)`, the entry point a retrain job calls after it saves a model.
@Suite struct ModelCardWriterTests {
    @Test func aRetrainedRecommenderGetsItsCardAndRunRecord() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("card-writer-\(UUID().uuidString)/shop-als")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let data = RatingDataset(
            ratings: [("u1", "A", 1), ("u1", "B", 1), ("u2", "A", 1), ("u3", "C", 1)], feedback: .implicit)
        try RecommenderModel.train(data, algorithm: .popular).save(to: folder)
        let run = TrainingRunRecord(
            task: "recommendation", command: "retrain job 7 (events since 2026-12-01)", settings: ["algorithm": "popular"],
            metrics: ["ndcg_at_10": 0.25, "recall_at_10": 0.5], hardware: "Test CPU", seconds: 3, finchVersion: "9.9.9")
        let outcome = try ModelCardWriter.write(folder: folder, run: run, finchVersion: "0.0.0")
        let card = try String(contentsOf: outcome.url, encoding: .utf8)
        #expect(try TrainingRunRecord.readIfPresent(in: folder) == run)
        #expect(card.hasPrefix("---\nlibrary_name: finch\ntags:\n- finch\n- recommender\n- popular\n"))
        #expect(card.contains("    - type: ndcg_at_10\n      value: 0.2500\n    - type: recall_at_10\n      value: 0.5000\n"))
        #expect(card.contains("A recommender (popular) trained with Finch 9.9.9."))
        #expect(card.contains("- Users: 3, items: 3, training interactions: 4 (implicit feedback)"))
        #expect(card.contains("- Command: `retrain job 7 (events since 2026-12-01)`"))
        let headings = card.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.dropFirst(3)) }
        #expect(headings == ModelCard.sections)
        // Written again without a run: the record kept in the folder is used.
        let again = try ModelCardWriter.write(folder: folder, finchVersion: "0.0.0")
        #expect(try String(contentsOf: again.url, encoding: .utf8) == card)
    }
}
