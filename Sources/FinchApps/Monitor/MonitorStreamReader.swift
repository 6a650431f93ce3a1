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
        if let d = parseUTCSeconds(text) { return d }
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: text) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }

    /// `date` as ISO 8601 in UTC, to the second (`2026-03-02T09:00:00Z`).
    public static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// The common `YYYY-MM-DDTHH:MM:SSZ` without a formatter (streams hold millions of them).
    static func parseUTCSeconds(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var v = 0
            for i in range {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day), hour < 24,
            minute < 60, second < 60
        else { return nil }
        // Days from 1970-01-01 to the civil date (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        guard day <= daysIn(month: month, year: year) else { return nil }
        return Date(timeIntervalSince1970: Double(days * 86400 + hour * 3600 + minute * 60 + second))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
