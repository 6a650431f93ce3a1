import Foundation

/// The width of a monitor's time buckets. Buckets are aligned to UTC: a
/// minute bucket starts at second 0, an hour bucket at minute 0, a day
/// bucket at midnight UTC.
public enum BucketWidth: String, Codable, Sendable, CaseIterable {
    case minute
    case hour
    case day

    /// The width in seconds.
    public var seconds: Int {
        switch self {
        case .minute: 60
        case .hour: 3600
        case .day: 86400
        }
    }

    /// Reads "minute"/"hour"/"day" or the short forms "1m", "1h", "1d".
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "minute", "1m", "1min", "m": self = .minute
        case "hour", "1h", "h": self = .hour
        case "day", "1d", "d": self = .day
        default: return nil
        }
    }

    /// The start of the bucket holding `date`.
    public func start(of date: Date) -> Date {
        let t = date.timeIntervalSince1970
        let w = Double(seconds)
        return Date(timeIntervalSince1970: (t / w).rounded(.down) * w)
    }

    /// The start of the bucket after the one starting at `start`.
    public func next(after start: Date) -> Date { start.addingTimeInterval(Double(seconds)) }

    /// Buckets per day-and-week season: 24 × 7 hourly slots for minute and hour
    /// buckets (an hour-of-week slot), 7 weekday slots for day buckets.
    public var seasonSlots: Int { self == .day ? 7 : 24 * 7 }

    /// The season slot of the bucket starting at `start`: hour of the week
    /// (0 = Monday 00:00 UTC) for minute and hour buckets, day of the week for day buckets.
    public func seasonSlot(of start: Date) -> Int {
        // 1970-01-01 was a Thursday: shift so that slot 0 is Monday.
        let hours = Int((start.timeIntervalSince1970 / 3600).rounded(.down))
        let hourOfWeek = ((hours + 3 * 24) % (24 * 7) + 24 * 7) % (24 * 7)
        return self == .day ? hourOfWeek / 24 : hourOfWeek
    }
}
