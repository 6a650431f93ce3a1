/// Problems with a model directory or task set-up.
public enum TaskError: Error, CustomStringConvertible, Equatable {
    /// The directory holds a base model (its architecture names no task head).
    case notAFineTunedModel(path: String, architecture: String)
    /// A classifier was asked to tag, or a tagger to classify.
    case wrongTask(path: String, expected: String, found: String)
    /// An input line to predict on is empty.
    case emptyInput(line: Int)

    /// One line naming the directory or line and the problem.
    public var description: String {
        switch self {
        case let .notAFineTunedModel(path, arch):
            return "\(path): not a fine-tuned classifier or tagger (architecture '\(arch)'); train one with `finch train`"
        case let .wrongTask(path, expected, found): return "\(path): this is a \(found) model, not \(expected)"
        case let .emptyInput(line): return "line \(line): empty text"
        }
    }
}
