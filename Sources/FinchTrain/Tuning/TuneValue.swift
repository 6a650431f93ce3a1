import Foundation

/// One sampled value of a tuned setting: a real number, a whole number or a
/// word (a schedule's name). Encoded in JSON as the number or the string.
public enum TuneValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A real number (learning rate, warmup ratio).
    case real(Double)
    /// A whole number (batch size, epochs).
    case integer(Int)
    /// A word (a schedule's name).
    case text(String)

    /// The value as a number, nil for a word.
    public var number: Double? {
        switch self {
        case .real(let v): return v
        case .integer(let v): return Double(v)
        case .text: return nil
        }
    }

    /// The value as it is written on a command line: `3e-05`, `16`, `cosine`.
    public var description: String {
        switch self {
        case .real(let v): return String(v)
        case .integer(let v): return String(v)
        case .text(let v): return v
        }
    }

    /// A short rendering for tables: reals with 4 significant digits.
    public var short: String {
        if case .real(let v) = self { return String(format: "%.4g", v) }
        return description
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let i = try? c.decode(Int.self) {
            self = .integer(i)
        } else if let d = try? c.decode(Double.self) {
            self = .real(d)
        } else {
            self = .text(try c.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .real(let v): try c.encode(v)
        case .integer(let v): try c.encode(v)
        case .text(let v): try c.encode(v)
        }
    }
}

/// A trial's sampled settings, in the order of the search space.
public struct TrialParameters: Sendable, Equatable, Codable {
    /// Setting name (as the search names it) and value, in search-space order.
    public var values: [(name: String, value: TuneValue)]

    /// Parameters from name/value pairs.
    public init(_ values: [(name: String, value: TuneValue)]) { self.values = values }

    /// The value of `name`, nil when the trial has none.
    public subscript(name: String) -> TuneValue? { values.first { $0.name == name }?.value }

    /// `lr=3e-05 batch-size=16`.
    public var summary: String { values.map { "\($0.name)=\($0.value.short)" }.joined(separator: " ") }

    public static func == (a: TrialParameters, b: TrialParameters) -> Bool {
        a.values.count == b.values.count && zip(a.values, b.values).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyKey.self)
        values = try c.allKeys.sorted { $0.stringValue < $1.stringValue }.map { ($0.stringValue, try c.decode(TuneValue.self, forKey: $0)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        for (name, value) in values { try c.encode(value, forKey: AnyKey(stringValue: name)) }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
