/// Why a tokenizer could not be loaded or an input file could not be read.
/// Each case names the file, line or field at fault.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// The directory has neither `tokenizer.json` nor `vocab.txt`.
    case noTokenizerFiles(directory: String)
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)
    /// A JSON file is malformed or lacks a field (`field` is the JSON path).
    case invalidJSON(path: String, field: String, reason: String)
    /// `tokenizer.json` uses a component Finch does not implement.
    case unsupported(path: String, component: String, type: String)
    /// A setting has a value Finch cannot use.
    case invalidConfiguration(field: String, reason: String)
    /// A token the configuration refers to is not in the vocabulary.
    case missingToken(token: String, role: String)
    /// A line of `vocab.txt` is not valid.
    case invalidVocabularyLine(path: String, line: Int, reason: String)
    /// A line of tokenizer input could not be used (1-based line number).
    case invalidInputLine(line: Int, reason: String)

    /// A one-line message naming the file, line or field.
    public var description: String {
        switch self {
        case .noTokenizerFiles(let directory):
            return "\(directory): no tokenizer.json or vocab.txt found"
        case .unreadableFile(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .invalidJSON(let path, let field, let reason):
            return "\(path): \(field.isEmpty ? "" : "field `\(field)`: ")\(reason)"
        case .unsupported(let path, let component, let type):
            return "\(path): \(component) of type `\(type)` is not supported by Finch"
        case .invalidConfiguration(let field, let reason):
            return "`\(field)`: \(reason)"
        case .missingToken(let token, let role):
            return "token `\(token)` (\(role)) is not in the vocabulary"
        case .invalidVocabularyLine(let path, let line, let reason):
            return "\(path):\(line): \(reason)"
        case .invalidInputLine(let line, let reason):
            return "input line \(line): \(reason)"
        }
    }
}
