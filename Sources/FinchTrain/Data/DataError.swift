/// A problem in a file of training or evaluation data. Every case names the
/// file and, where there is one, the 1-based line and the field, so the
/// message alone lets a user open the file at the right place.
///
/// `file` is the path as the caller gave it (usually a command-line
/// argument), not an absolute path, so messages read like the user's command.
public enum DataError: Error, Equatable, Sendable {
    /// The file could not be opened or read.
    case unreadableFile(file: String, reason: String)
    /// The file holds no data: zero bytes, only a byte-order mark, only blank
    /// lines, or (for a table) only a header.
    case emptyFile(file: String)
    /// A column named on the command line is not in the header (or, for JSON
    /// lines, not a key of the object on `line`). `found` lists what is there.
    case missingColumn(file: String, line: Int, column: String, found: [String])
    /// The header names the same column twice.
    case duplicateColumn(file: String, line: Int, column: String)
    /// A record has a different number of fields than the header.
    case fieldCount(file: String, line: Int, expected: Int, found: Int)
    /// A quoted field was not closed before the end of the file; `line` is
    /// where its opening quote is.
    case unterminatedQuote(file: String, line: Int, field: Int)
    /// A closing quote is followed by something other than a delimiter or
    /// the end of the line (`"abc"def`).
    case textAfterClosingQuote(file: String, line: Int, field: Int)
    /// A line (or, when `field` is known, that field) is not valid UTF-8.
    case invalidUTF8(file: String, line: Int, field: String?)
    /// A text field is empty or only whitespace.
    case emptyText(file: String, line: Int, field: String)
    /// A label field is empty or only whitespace.
    case emptyLabel(file: String, line: Int, field: String)
    /// A JSON line is not a JSON object.
    case malformedJSON(file: String, line: Int, reason: String)
    /// A JSON field has a type that cannot be used (text must be a string; a
    /// label a string, integer or boolean).
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
        case let .missingColumn(file, line, column, found):
            let list = found.map { "'\($0)'" }.joined(separator: ", ")
            return "\(file):\(line): no column '\(column)'; columns found: \(list.isEmpty ? "none" : list)"
        case let .duplicateColumn(file, line, column):
            return "\(file):\(line): the header names column '\(column)' twice"
        case let .fieldCount(file, line, expected, found):
            return "\(file):\(line): expected \(expected) fields as in the header, found \(found)"
        case let .unterminatedQuote(file, line, field):
            return "\(file):\(line): field \(field) opens a quote that is never closed"
        case let .textAfterClosingQuote(file, line, field):
            return "\(file):\(line): field \(field) has text after its closing quote (write \"\" for a quote inside a quoted field)"
        case let .invalidUTF8(file, line, field):
            if let field { return "\(file):\(line): field '\(field)' is not valid UTF-8" }
            return "\(file):\(line): the line is not valid UTF-8"
        case let .emptyText(file, line, field):
            return "\(file):\(line): field '\(field)' is empty"
        case let .emptyLabel(file, line, field):
            return "\(file):\(line): label field '\(field)' is empty"
        case let .malformedJSON(file, line, reason):
            return "\(file):\(line): not a JSON object: \(reason)"
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
