/// A place in a data file: the file as the user named it, and the 1-based line
/// and the field (a column name, a JSON key or a field number) when known.
public struct DataLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The file, as the caller named it.
    public var file: String
    /// The 1-based line, when the place is inside the file.
    public var line: Int?
    /// The field, when the place is one field of a record.
    public var field: String?

    /// A location in `file`, optionally narrowed to `line` and `field`.
    public init(file: String, line: Int? = nil, field: String? = nil) {
        self.file = file
        self.line = line
        self.field = field
    }

    /// `file:line: field 'name'`, leaving out what is unknown.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let field { text += ": field '\(field)'" }
        return text
    }
}
