/// A parsed JSON value, keeping integers apart from other numbers and
/// booleans apart from numbers (which `JSONSerialization` on Linux does not).
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
            return
        }
        // Probe the types in turn; a type mismatch only means "not this one".
        do {
            self = .string(try container.decode(String.self))
            return
        } catch DecodingError.typeMismatch {}
        do {
            self = .bool(try container.decode(Bool.self))
            return
        } catch DecodingError.typeMismatch {}
        do {
            self = .integer(try container.decode(Int64.self))
            return
        } catch {
            // Foundation throws a non-DecodingError for 0.5 or 1e30; either way
            // it is not an Int64, and the Double probe below decides.
        }
        do {
            self = .number(try container.decode(Double.self))
            return
        } catch DecodingError.typeMismatch {}
        do {
            self = .array(try container.decode([JSONValue].self))
            return
        } catch DecodingError.typeMismatch {}
        self = .object(try container.decode([String: JSONValue].self))
    }

    /// "a string", "null", ... for messages.
    var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer: return "an integer"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
