/// Any JSON value, kept verbatim. Configuration types use it to carry keys
/// they do not model, so a file read and written back keeps them.
public enum JSONValue: Codable, Equatable, Sendable, CustomStringConvertible {
    /// `null`.
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// A number without fraction or exponent that fits an `Int`.
    case int(Int)
    /// Any other number.
    case double(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Reads whichever JSON type is present. Each probe that fails with a
    /// type mismatch only means "not this type"; any other decoding error is
    /// thrown, and a value that is no scalar or array is read as an object,
    /// whose read reports what is wrong.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
            return
        }
        do {
            self = .string(try c.decode(String.self))
            return
        } catch DecodingError.typeMismatch {}
        do {
            self = .bool(try c.decode(Bool.self))
            return
        } catch DecodingError.typeMismatch {}
        do {
            self = .int(try c.decode(Int.self))
            return
        } catch {
            // Foundation reports 0.5 or 1e30 read as an Int with an error that is not
            // always a type mismatch; either way the value is not an Int and the
            // Double probe below decides.
        }
        do {
            self = .double(try c.decode(Double.self))
            return
        } catch DecodingError.typeMismatch {}
        do {
            self = .array(try c.decode([JSONValue].self))
            return
        } catch DecodingError.typeMismatch {}
        self = .object(try c.decode([String: JSONValue].self))
    }

    /// Writes the value back as the same JSON type.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The value's JSON type with an article ("a string", "null"), for error messages.
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Compact JSON-like rendering for error messages.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return String(b)
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return "\"\(s)\""
        case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}
