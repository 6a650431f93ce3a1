import Foundation

/// A fresh folder under the system's temporary directory, removed when freed.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("finch-support-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `bytes` to `name` inside the folder and returns its URL.
    func write(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(bytes).write(to: file)
        return file
    }

    /// The names in the folder, sorted.
    func names(in sub: URL? = nil) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: (sub ?? url).path).sorted()
    }
}
