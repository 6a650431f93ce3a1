/// Problems with a ratings file. Cases that concern one row carry the file,
/// its 1-based line number and the field, so the user can open the file there.
public enum DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be opened or read.
    case unreadableFile(path: String, reason: String)
    /// A required column is absent from the header.
    case missingColumn(file: String, column: String, available: [String])
    /// A row lacks a field (too few columns, or a JSON key is absent).
    case missingField(file: String, line: Int, field: String)
    /// A field that must be a number is not a finite number.
    case nonNumericValue(file: String, line: Int, field: String, value: String)
    /// A rating outside the declared rating scale.
    case ratingOutOfScale(file: String, line: Int, rating: Float, scale: RatingScale)
    /// A user or item id that is empty.
    case emptyIdentifier(file: String, line: Int, field: String)
    /// A row that cannot be split into fields (bad quoting, invalid JSON).
    case malformedRow(file: String, line: Int, reason: String)
    /// The file holds no usable rating.
    case noRatings(file: String)
    /// An option value that does not parse.
    case invalidOption(name: String, value: String, reason: String)

    /// The 1-based line the problem is on, when it concerns one row.
    public var line: Int? {
        switch self {
        case .missingField(_, let line, _), .nonNumericValue(_, let line, _, _), .ratingOutOfScale(_, let line, _, _),
            .emptyIdentifier(_, let line, _), .malformedRow(_, let line, _):
            return line
        default:
            return nil
        }
    }

    /// A readable message in the form `file:line: problem`.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .missingColumn(let file, let column, let available):
            return "\(file): no column '\(column)' in the header (columns: \(available.joined(separator: ", ")))"
        case .missingField(let file, let line, let field):
            return "\(file):\(line): missing field '\(field)'"
        case .nonNumericValue(let file, let line, let field, let value):
            return "\(file):\(line): field '\(field)' is not a number: '\(value)'"
        case .ratingOutOfScale(let file, let line, let rating, let scale):
            return "\(file):\(line): rating \(rating) is outside the rating scale \(scale)"
        case .emptyIdentifier(let file, let line, let field):
            return "\(file):\(line): field '\(field)' is empty"
        case .malformedRow(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        case .noRatings(let file):
            return "\(file): no ratings"
        case .invalidOption(let name, let value, let reason):
            return "invalid \(name) '\(value)': \(reason)"
        }
    }
}
