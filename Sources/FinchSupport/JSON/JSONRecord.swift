/// One JSON object read from a line of a data file, with typed field access
/// whose errors name the file, the line and the key.
public struct JSONRecord: Sendable {
    /// The object's members.
    public let fields: [String: JSONValue]
    /// The file, as the caller named it.
    public let file: String
    /// The 1-based line the object is on.
    public let line: Int

    /// A record of `fields` found on `line` of `file`.
    public init(fields: [String: JSONValue], file: String, line: Int) {
        self.fields = fields
        self.file = file
        self.line = line
    }

    /// The value of `key`.
    /// - Throws: `DataError.missingColumn` (listing the keys present) when absent.
    public func value(_ key: String) throws(DataError) -> JSONValue {
        guard let value = fields[key] else {
            throw .missingColumn(file: file, line: line, column: key, found: fields.keys.sorted())
        }
        return value
    }

    /// The string under `key`.
    /// - Throws: `DataError.missingColumn` when absent, `.wrongType` ("not a
    ///   string") when it holds another JSON type.
    public func string(_ key: String) throws(DataError) -> String {
        let value = try value(key)
        guard case .string(let text) = value else {
            throw .wrongType(file: file, line: line, field: key, expected: "a string", found: value.kindDescription)
        }
        return text
    }

    /// The finite number under `key`; a string holding a number (`"4.5"`) is
    /// read as that number.
    /// - Throws: `DataError.missingColumn` when absent, `.notANumber` when the
    ///   string is not a finite number, `.wrongType` for other JSON types.
    public func number(_ key: String) throws(DataError) -> Double {
        let value = try value(key)
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        case .string(let text):
            let trimmed = text.trimmingWhitespace
            guard let d = Double(trimmed), d.isFinite else {
                throw .notANumber(file: file, line: line, field: key, value: text)
            }
            return d
        default:
            throw .wrongType(file: file, line: line, field: key, expected: "a number", found: value.kindDescription)
        }
    }

    /// An identifier under `key`: a string as written, or an integer's digits.
    /// - Throws: `DataError.missingColumn` when absent, `.wrongType` ("not a
    ///   string or integer") otherwise.
    public func identifier(_ key: String) throws(DataError) -> String {
        let value = try value(key)
        switch value {
        case .string(let text): return text
        case .int(let i): return String(i)
        default:
            throw .wrongType(
                file: file, line: line, field: key, expected: "a string or an integer", found: value.kindDescription)
        }
    }
}
