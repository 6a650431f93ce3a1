import Foundation

/// Numeric values (an age) put into bands for a group audit: the edges
/// `30,45,60` make the bands `<30`, `30-44`, `45-59` and `60+`, each from
/// its lower edge up to, not including, the next one. Edges are whole
/// numbers in increasing order, so the labels can say "up to 44".
public struct GroupBands: Sendable, Equatable {
    /// The edges, strictly increasing.
    public let edges: [Int]

    /// Bands from edges such as `"30,45,60"`.
    ///
    /// - Throws: `GroupBandsError.invalidEdges` when the text is not
    ///   comma-separated whole numbers in strictly increasing order.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var edges: [Int] = []
        for part in parts {
            guard let value = Int(part) else {
                throw GroupBandsError.invalidEdges(text: text, reason: "'\(part)' is not a whole number")
            }
            if let last = edges.last, value <= last {
                throw GroupBandsError.invalidEdges(text: text, reason: "edges must increase (\(last) then \(value))")
            }
            edges.append(value)
        }
        self.edges = edges
    }

    /// The band labels, lowest first.
    public var labels: [String] {
        guard let first = edges.first, let last = edges.last else { return [] }
        var labels = ["<\(first)"]
        for (low, high) in zip(edges, edges.dropFirst()) { labels.append("\(low)-\(high - 1)") }
        labels.append("\(last)+")
        return labels
    }

    /// The label of the band holding `value` (read as a number; `24` and
    /// `24.5` both count), nil when it is not a number.
    public func band(of value: String) -> String? {
        guard let number = Double(value.trimmingCharacters(in: .whitespaces)), number.isFinite else { return nil }
        let index = edges.firstIndex { number < Double($0) } ?? edges.count
        return labels[index]
    }

    /// Every value replaced by its band's label.
    ///
    /// - Parameters:
    ///   - file: the file the values come from, and `column` their column (named in errors).
    /// - Throws: `GroupBandsError.notANumber` naming the record (1-based, header not counted).
    public func apply(_ values: [String], file: String, column: String) throws -> [String] {
        try values.enumerated().map { i, value in
            guard let label = band(of: value) else {
                throw GroupBandsError.notANumber(file: file, record: i + 1, column: column, value: value)
            }
            return label
        }
    }
}

/// Why values could not be put into bands.
public enum GroupBandsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The edges given are not whole numbers in increasing order.
    case invalidEdges(text: String, reason: String)
    /// A value of the banded column is not a number.
    case notANumber(file: String, record: Int, column: String, value: String)

    public var description: String {
        switch self {
        case let .invalidEdges(text, reason): return "band edges '\(text)': \(reason)"
        case let .notANumber(file, record, column, value):
            return "\(file): record \(record): column '\(column)' holds '\(value)', not a number to put in a band"
        }
    }
}
