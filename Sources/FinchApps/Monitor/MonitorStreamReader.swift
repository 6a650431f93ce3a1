import FinchSupport
import Foundation

/// Reads a time-stamped stream of documents: JSON Lines of
/// `{"id", "text", "time"}` with ISO 8601 times (`2026-03-02T09:15:00Z`,
/// fractional seconds and offsets allowed), and optional `"source"` and `"url"`.
public enum MonitorStreamReader {
    /// Every document of the file, in file order.
    /// - Throws: `DataError` naming the file, line and field.
    public static func read(_ url: URL) throws -> [MonitorDocument] {
        var out: [MonitorDocument] = []
        try JSONLines.forEachRecord(in: url, file: url.lastPathComponent) { out.append(try document($0)) }
        return out
    }

    /// The document of one record.
    public static func document(_ r: JSONRecord) throws(DataError) -> MonitorDocument {
        let id = try r.identifier("id")
        guard !id.isEmpty else { throw .emptyField(file: r.file, line: r.line, field: "id") }
        let text = try r.string("text")
        let timeText = try r.string("time")
        guard let time = parseTime(timeText) else {
            throw .invalidValue(file: r.file, line: r.line, field: "time", reason: "'\(timeText)' is not an ISO 8601 time")
        }
        return MonitorDocument(
            id: id, text: text, time: time, source: try optionalString(r, "source"), url: try optionalString(r, "url"))
    }

    static func optionalString(_ r: JSONRecord, _ key: String) throws(DataError) -> String? {
        guard let v = r.fields[key] else { return nil }
        if case .null = v { return nil }
        return try r.string(key)
    }

    /// An ISO 8601 date-time with a zone (`Z` or ±hh:mm), with or without fractional seconds.
    public static func parseTime(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// `date` as ISO 8601 in UTC, to the second (`2026-03-02T09:00:00Z`).
    public static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
