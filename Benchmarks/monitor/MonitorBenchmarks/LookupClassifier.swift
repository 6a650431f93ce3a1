import FinchApps
import FinchTrain
import Foundation

/// The sentiment of stream texts looked up instead of computed: every stream
/// document is a pool text with an alias added, and the pool was classified
/// once by the fine-tuned classifier (`finch predict`), so a document's
/// prediction is its pool text's.
struct LookupClassifier: DocumentClassifier {
    let name = "pool-predictions"
    let predictions: [ClassPrediction]
    let poolOfText: [String: Int]

    func classify(_ texts: [String]) async throws -> [ClassPrediction] {
        try texts.map { text in
            guard let i = poolOfText[text] else { throw MonitorError.modelMismatch(model: name, expected: 1, got: 0) }
            return predictions[i]
        }
    }
}
