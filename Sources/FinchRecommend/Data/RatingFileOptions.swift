import FinchSupport

/// The closed range ratings must lie in (`--rating-scale 1,5`). Predictions of
/// explicit models are clipped to it, as Surprise clips to its `Reader` scale.
public struct RatingScale: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Smallest allowed rating.
    public var lower: Float
    /// Largest allowed rating.
    public var upper: Float

    /// A scale from `lower` to `upper` (`lower <= upper`).
    public init(lower: Float, upper: Float) {
        precondition(lower <= upper, "rating scale lower bound above upper bound")
        self.lower = lower
        self.upper = upper
    }

    /// Parses `"1,5"` (also `"1:5"` or `"1-5"` for positive bounds).
    /// - Throws: `RecommendError.invalidOption` when the text is not two ordered numbers.
    public init(parsing text: String) throws {
        let separators: [Character] = [",", ":"]
        var parts = text.split(whereSeparator: { separators.contains($0) }).map { $0.trimmingSpaces() }
        if parts.count != 2, !text.hasPrefix("-") { parts = text.split(separator: "-").map { $0.trimmingSpaces() } }
        guard parts.count == 2, let lo = Float(parts[0]), let hi = Float(parts[1]), lo.isFinite, hi.isFinite, lo <= hi
        else { throw RecommendError.invalidOption(name: "rating scale", value: text, reason: "expected two ordered numbers, e.g. 1,5") }
        self.init(lower: lo, upper: hi)
    }

    /// `value` limited to the scale.
    @inlinable
    public func clip(_ value: Float) -> Float { Swift.min(Swift.max(value, lower), upper) }

    /// True when `value` lies in the scale.
    public func contains(_ value: Float) -> Bool { value >= lower && value <= upper }

    /// `"[1, 5]"`.
    public var description: String { "[\(lower), \(upper)]" }
}

/// What the values in a ratings matrix mean.
public enum FeedbackKind: String, Sendable, Codable, CaseIterable {
    /// Ratings on a scale; rating prediction (RMSE) makes sense.
    case explicit
    /// Interaction weights (1 per event, a count or a dwell time); only ranking makes sense.
    case implicit
}

/// What to do when the same (user, item) pair occurs twice in one file.
public enum DuplicatePolicy: String, Sendable, CaseIterable {
    /// Keep the last value (explicit ratings: a changed mind).
    case keepLast = "last"
    /// Add the values (implicit feedback: repeated events).
    case sum
}

/// How to read a ratings file.
public struct RatingFileOptions: Sendable, Equatable {
    /// File layouts Finch reads.
    public enum Format: String, Sendable, CaseIterable {
        /// Chosen from the extension: `.csv`, `.tsv`/`.tab`, `.jsonl`/`.ndjson`, `.data`/`.dat` (MovieLens).
        case auto
        /// Comma-separated with a header row, RFC 4180 quotes.
        case csv
        /// Tab-separated with a header row.
        case tsv
        /// MovieLens `u.data` (`user<TAB>item<TAB>rating<TAB>timestamp`, no header) or `ratings.dat` (`::`).
        case movielens
        /// One JSON object per line, keys named like the columns.
        case jsonl
    }

    /// The file layout.
    public var format: Format = .auto
    /// Column (or JSON key) holding the user id.
    public var userColumn = "userId"
    /// Column holding the item id.
    public var itemColumn = "itemId"
    /// Column holding the rating or weight; nil means implicit feedback with weight 1.
    public var ratingColumn: String? = "rating"
    /// When false, a missing `ratingColumn` means implicit feedback with weight 1
    /// instead of an error (so the default `rating` need not exist).
    public var ratingColumnRequired = false
    /// Column holding a numeric timestamp; nil means none.
    public var timestampColumn: String? = "timestamp"
    /// When false, a missing `timestampColumn` is allowed.
    public var timestampColumnRequired = false
    /// Force implicit feedback (the rating column is read as a weight).
    public var implicit = false
    /// Allowed rating range; rows outside it are bad rows. Nil: no check.
    public var ratingScale: RatingScale?
    /// Count and report bad rows instead of failing on the first one.
    public var skipBadRows = false
    /// Duplicate (user, item) handling; nil chooses `keepLast` for explicit and `sum` for implicit.
    public var duplicates: DuplicatePolicy?

    /// Default options: CSV-style columns `userId,itemId,rating,timestamp`.
    public init() {}
}

/// What a reader did with a file.
public struct LoadReport: Sendable, Equatable {
    /// The file read.
    public var file: String
    /// Data rows seen (header and blank lines excluded).
    public var rowCount = 0
    /// Rows skipped as bad (only with `skipBadRows`).
    public var skippedRowCount = 0
    /// The first problems found (at most `problemLimit`), in file order.
    public var problems: [DataError] = []
    /// Rows that repeated an earlier (user, item) pair and were merged.
    public var duplicateCount = 0

    /// How many problems are kept in `problems`.
    public static let problemLimit = 20

    /// An empty report for `file`.
    public init(file: String) { self.file = file }

    mutating func record(_ problem: DataError) {
        skippedRowCount += 1
        if problems.count < Self.problemLimit { problems.append(problem) }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s.removeLast() }
        return String(s)
    }
}
