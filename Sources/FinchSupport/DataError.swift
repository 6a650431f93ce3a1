/// A problem in a file of data (training texts, ratings, tagged sentences).
/// Every case names the file and, where there is one, the 1-based line and the
/// field, so the message alone lets a user open the file at the right place.
///
/// `file` is the path as the caller gave it (usually a command-line argument),
/// not an absolute path, so messages read like the user's command.
public enum DataError: Error, Equatable, Sendable {
    /// The file could not be opened or read.
    case unreadableFile(file: String, reason: String)
    /// The file holds no data: zero bytes, only a byte-order mark, only blank
    /// lines, or (for a table) only a header.
    case emptyFile(file: String)
    /// Every data row of the file was skipped as bad, so nothing usable is left.
    case noUsableRecords(file: String)
    /// A column named on the command line is not in the header (or, for JSON
    /// lines, not a key of the object on `line`). `found` lists what is there.
    case missingColumn(file: String, line: Int, column: String, found: [String])
    /// The header names the same column twice.
    case duplicateColumn(file: String, line: Int, column: String)
    /// A record has a different number of fields than the header.
    case fieldCount(file: String, line: Int, expected: Int, found: Int)
    /// A record lacks a field its header (or the first record) promised.
    case missingField(file: String, line: Int, field: String)
    /// A quoted field was not closed before the end of the file (or line, for
    /// line-based formats); `line` is where its opening quote is.
    case unterminatedQuote(file: String, line: Int, field: Int)
    /// A closing quote is followed by something other than a delimiter or
    /// the end of the line (`"abc"def`).
    case textAfterClosingQuote(file: String, line: Int, field: Int)
    /// A line (or, when `field` is known, that field) is not valid UTF-8.
    case invalidUTF8(file: String, line: Int, field: String?)
    /// A text field is empty or only whitespace.
    case emptyText(file: String, line: Int, field: String)
    /// An identifier field (a user or item id) is empty.
    case emptyField(file: String, line: Int, field: String)
    /// A label field is empty or only whitespace.
    case emptyLabel(file: String, line: Int, field: String)
    /// A JSON line is not a JSON object.
    case malformedJSON(file: String, line: Int, reason: String)
    /// A record that cannot be split into fields for another reason.
    case malformedRecord(file: String, line: Int, reason: String)
    /// A field holds a JSON value of the wrong type (`expected` and `found`
    /// read "a string", "a number", ...).
    case wrongType(file: String, line: Int, field: String, expected: String, found: String)
    /// A field that must be a finite number is not one; `value` is its text.
    case notANumber(file: String, line: Int, field: String, value: String)
    /// A number outside the range its field allows.
    case outOfRange(file: String, line: Int, field: String, value: Double, lower: Double, upper: Double)
    /// A JSON field has a value that cannot be used; `reason` completes
    /// "field 'x' …".
    case invalidValue(file: String, line: Int, field: String, reason: String)
    /// A label on `line` of a dev or test file never occurs in the training
    /// data, so the model has no output for it. `known` lists the training
    /// labels.
    case unknownLabel(file: String, line: Int, label: String, known: [String])
    /// A line of a CoNLL/BIO file is neither blank, a `-DOCSTART-` line nor
    /// `token<TAB>tag` (or `token tag`) with a valid tag.
    case malformedCoNLLLine(file: String, line: Int, content: String, reason: String)
    /// Too few examples to hold out a development part.
    case tooFewExamples(file: String, count: Int, needed: Int)

    /// Where the problem is: the file, and the line and field when known.
    public var location: DataLocation {
        switch self {
        case let .unreadableFile(file, _), let .emptyFile(file), let .noUsableRecords(file), let .tooFewExamples(file, _, _):
            return DataLocation(file: file)
        case let .missingColumn(file, line, column, _), let .duplicateColumn(file, line, column):
            return DataLocation(file: file, line: line, field: column)
        case let .fieldCount(file, line, _, _), let .malformedJSON(file, line, _), let .malformedRecord(file, line, _),
            let .unknownLabel(file, line, _, _), let .malformedCoNLLLine(file, line, _, _):
            return DataLocation(file: file, line: line)
        case let .unterminatedQuote(file, line, field), let .textAfterClosingQuote(file, line, field):
            return DataLocation(file: file, line: line, field: String(field))
        case let .invalidUTF8(file, line, field):
            return DataLocation(file: file, line: line, field: field)
        case let .missingField(file, line, field), let .emptyText(file, line, field), let .emptyField(file, line, field),
            let .emptyLabel(file, line, field), let .wrongType(file, line, field, _, _), let .notANumber(file, line, field, _),
            let .outOfRange(file, line, field, _, _, _), let .invalidValue(file, line, field, _):
            return DataLocation(file: file, line: line, field: field)
        }
    }

    /// The 1-based line the problem is on, when it concerns one line.
    public var line: Int? { location.line }
}

extension DataError: CustomStringConvertible {
    /// A one-line message that starts with `file:line:` like a compiler
    /// diagnostic, so terminals and editors link to the place.
    public var description: String {
        switch self {
        case let .unreadableFile(file, reason):
            return "\(file): cannot read the file: \(reason)"
        case let .emptyFile(file):
            return "\(file): the file is empty (no data rows)"
        case let .noUsableRecords(file):
            return "\(file): no usable rows (every data row was skipped as bad)"
        case let .missingColumn(file, line, column, found):
            let list = found.map { "'\($0)'" }.joined(separator: ", ")
            return "\(file):\(line): no column '\(column)'; columns found: \(list.isEmpty ? "none" : list)"
        case let .duplicateColumn(file, line, column):
            return "\(file):\(line): the header names column '\(column)' twice"
        case let .fieldCount(file, line, expected, found):
            return "\(file):\(line): expected \(expected) fields as in the header, found \(found)"
        case let .missingField(file, line, field):
            return "\(file):\(line): missing field '\(field)'"
        case let .unterminatedQuote(file, line, field):
            return "\(file):\(line): field \(field) opens a quote that is never closed"
        case let .textAfterClosingQuote(file, line, field):
            return "\(file):\(line): field \(field) has text after its closing quote (write \"\" for a quote inside a quoted field)"
        case let .invalidUTF8(file, line, field):
            if let field { return "\(file):\(line): field '\(field)' is not valid UTF-8" }
            return "\(file):\(line): the line is not valid UTF-8"
        case let .emptyText(file, line, field), let .emptyField(file, line, field):
            return "\(file):\(line): field '\(field)' is empty"
        case let .emptyLabel(file, line, field):
            return "\(file):\(line): label field '\(field)' is empty"
        case let .malformedJSON(file, line, reason):
            return "\(file):\(line): not a JSON object: \(reason)"
        case let .malformedRecord(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .wrongType(file, line, field, expected, found):
            return "\(file):\(line): field '\(field)' is not \(expected) (found \(found))"
        case let .notANumber(file, line, field, value):
            return "\(file):\(line): field '\(field)' is not a number: '\(value)'"
        case let .outOfRange(file, line, field, value, lower, upper):
            return "\(file):\(line): field '\(field)' is \(value), outside [\(lower), \(upper)]"
        case let .invalidValue(file, line, field, reason):
            return "\(file):\(line): field '\(field)' \(reason)"
        case let .unknownLabel(file, line, label, known):
            let list = known.map { "'\($0)'" }.joined(separator: ", ")
            return "\(file):\(line): label '\(label)' never occurs in the training data (training labels: \(list))"
        case let .malformedCoNLLLine(file, line, content, reason):
            return "\(file):\(line): malformed line '\(content)': \(reason)"
        case let .tooFewExamples(file, count, needed):
            return "\(file): \(count) example\(count == 1 ? "" : "s"); at least \(needed) are needed to hold out a development part"
        }
    }
}
