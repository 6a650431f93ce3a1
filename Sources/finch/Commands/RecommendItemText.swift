import FinchRecommend
import FinchSupport
import FinchTransformers
import Foundation

/// The item texts of `--item-text`: JSON Lines, one item per line,
/// `{"item": ID, "text": "...", "title": "...", "categories": ["..."]}`
/// (title and categories optional; "available": false hides an item).
enum RecommendItemText {
    /// The catalogue items of `path`, in file order, without embeddings.
    /// - Throws: `DataError` naming the file, line and field.
    static func read(_ path: String) throws -> (items: [CatalogItem], texts: [String]) {
        var items: [CatalogItem] = [], texts: [String] = []
        var seen = Set<String>()
        try JSONLines.forEachRecord(in: URL(fileURLWithPath: path), file: path) { record in
            let id = try record.identifier("item")
            guard seen.insert(id).inserted else {
                throw RecommendCommandError(message: "\(path):\(record.line): item '\(id)' appears twice")
            }
            let text = try record.string("text")
            var title = ""
            if record.fields["title"] != nil { title = try record.string("title") }
            var categories: [String] = []
            if let value = record.fields["categories"] {
                guard case .array(let list) = value else {
                    throw DataError.wrongType(
                        file: path, line: record.line, field: "categories", expected: "an array of strings", found: value.kindDescription)
                }
                for entry in list {
                    guard case .string(let c) = entry else {
                        throw DataError.wrongType(
                            file: path, line: record.line, field: "categories", expected: "an array of strings",
                            found: "an array holding \(entry.kindDescription)")
                    }
                    categories.append(c)
                }
            }
            var available = true
            if let value = record.fields["available"] {
                guard case .bool(let b) = value else {
                    throw DataError.wrongType(
                        file: path, line: record.line, field: "available", expected: "true or false", found: value.kindDescription)
                }
                available = b
            }
            items.append(CatalogItem(id: id, title: title, categories: categories, isAvailable: available))
            texts.append(text)
        }
        return (items, texts)
    }

    /// The items of `path` with their text embedded by the sentence encoder in `embedder`.
    static func embedded(_ path: String, embedder directory: URL) throws -> [CatalogItem] {
        let loaded = try read(path)
        var items = loaded.items
        let texts = loaded.texts
        guard !items.isEmpty else { throw RecommendCommandError(message: "\(path): no items") }
        let encoder = try TextEmbedder(directory: directory)
        let vectors = try encoder.embed(texts, batchSize: 32)
        let d = vectors.shape[1]
        let scalars = vectors.scalars
        for n in 0..<items.count { items[n].embedding = Array(scalars[(n * d)..<((n + 1) * d)]) }
        return items
    }
}
