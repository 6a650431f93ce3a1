import Foundation

/// Problems with a model directory or task set-up.
public enum TaskError: Error, CustomStringConvertible, Equatable {
    /// The directory holds a base model (its architecture names no task head).
    case notAFineTunedModel(path: String, architecture: String)
    /// A classifier was asked to tag, or a tagger to classify.
    case wrongTask(path: String, expected: String, found: String)
    /// An input line to predict on is empty.
    case emptyInput(line: Int)
    /// A JSON file Finch wrote into a model folder (`finch_task.json`,
    /// `adapter_config.json`) cannot be read or is not what Finch wrote.
    case invalidModelFile(file: String, reason: String)

    /// One line naming the directory or line and the problem.
    public var description: String {
        switch self {
        case let .notAFineTunedModel(path, arch):
            return "\(path): not a fine-tuned classifier or tagger (architecture '\(arch)'); train one with `finch train`"
        case let .wrongTask(path, expected, found): return "\(path): this is a \(found) model, not \(expected)"
        case let .emptyInput(line): return "line \(line): empty text"
        case let .invalidModelFile(file, reason): return "\(file): \(reason)"
        }
    }
}

extension TaskError {
    /// Decodes the JSON file at `url` as `T`; a file that cannot be read or
    /// decoded is `invalidModelFile` naming the file and the problem.
    static func decodeModelFile<T: Decodable>(_ type: T.Type, at url: URL) throws -> T {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TaskError.invalidModelFile(file: url.path, reason: "cannot read the file")
        }
        do { return try JSONDecoder().decode(type, from: data) } catch let error as DecodingError {
            throw TaskError.invalidModelFile(file: url.path, reason: CheckpointStore.explain(error))
        }
    }
}
