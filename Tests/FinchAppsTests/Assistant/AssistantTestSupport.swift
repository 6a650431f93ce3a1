import FinchTensor
import Foundation

@testable import FinchApps

/// An encoder whose vectors the test writes down: each text maps to its row.
struct TableEncoder: SentenceEncoder {
    let table: [String: [Float]]
    let dimension: Int

    init(_ table: [String: [Float]]) {
        self.table = table
        dimension = table.values.first?.count ?? 0
    }

    func encode(_ texts: [String]) throws -> Tensor {
        var values: [Float] = []
        for t in texts {
            guard let row = table[t] else { throw TableEncoderError.unknown(t) }
            values += row
        }
        return Tensor(shape: [texts.count, dimension], values: values)
    }
}

enum TableEncoderError: Error { case unknown(String) }

/// A fresh folder under the system's temporary directory.
enum AssistantScratch {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-assistant-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}
