import FinchSupport
import Foundation

extension FAQReader {
    /// Reads an FAQ given as bytes (a request body) in `format`; `name` stands for the file in
    /// errors ("request body:3: field answer …"). The bytes go through a temporary file, so
    /// they are read by exactly the code that reads files.
    public static func read(bytes: Data, name: String, format: Format) throws -> FAQCollection {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "finch-faq-\(UUID().uuidString).\(format.rawValue)")
        try AtomicFile.write(bytes, to: url)
        defer { try? FileManager.default.removeItem(at: url) }  // a temporary file of ours; nothing to report if it is gone
        return try read(url, name: name, format: format)
    }
}
