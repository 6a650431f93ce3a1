import Foundation

// Temporary: replaced by Metrics/MetricsLog.swift when the metrics work merges.
final class MetricsLog {
    let url: URL
    init(url: URL, append: Bool) throws {
        self.url = url
        if !append || !FileManager.default.fileExists(atPath: url.path) {
            try Data().write(to: url)
        }
    }
    func append(_ fields: [String: Any], metrics: [String: Double]) throws {
        var all = fields
        for (k, v) in metrics { all[k] = v }
        let data = try JSONSerialization.data(withJSONObject: all, options: [.sortedKeys])
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: data + Data("\n".utf8))
    }
}
