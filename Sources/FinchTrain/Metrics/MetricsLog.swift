import FinchSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One line of `metrics.jsonl`: the metrics of a logging step (`train`) or
/// of an evaluation (`eval`), flat like the entries of Hugging Face's
/// `trainer_state.json` `log_history`:
///
/// ```
/// {"epoch":0.25,"kind":"train","learning_rate":1.9e-05,"loss":0.6931,"step":50}
/// {"accuracy":0.81,"epoch":1,"kind":"eval","loss":0.45,"macro_f1":0.73,"step":200}
/// ```
///
/// Keys are sorted; a non-finite value (a diverged loss) is written as null
/// and read back as NaN.
public struct MetricsRecord: Equatable, Sendable {
    /// What produced the record.
    public enum Kind: String, Sendable, Codable {
        /// A logging step during training (loss, learning rate, ...).
        case train
        /// An evaluation on the development data.
        case eval
    }

    /// Train or eval.
    public var kind: Kind
    /// Optimizer steps done so far (1-based after the first update).
    public var step: Int
    /// Epochs done so far, fractional (`step / stepsPerEpoch`).
    public var epoch: Double
    /// The metrics, by name (`loss`, `learning_rate`, `accuracy`, `f1`...);
    /// names other than `kind`, `step`, `epoch`.
    public var values: [String: Double]

    /// A record; `values` must not use the reserved names `kind`, `step`, `epoch`.
    public init(kind: Kind, step: Int, epoch: Double, values: [String: Double]) {
        precondition(
            values.keys.allSatisfy { !MetricsRecord.reserved.contains($0) }, "kind, step and epoch are reserved names")
        self.kind = kind
        self.step = step
        self.epoch = epoch
        self.values = values
    }

    static let reserved: Set<String> = ["kind", "step", "epoch"]

    /// Equal kind, step, epoch and values, a NaN value equal to NaN (a
    /// record read back equals the one written).
    public static func == (a: MetricsRecord, b: MetricsRecord) -> Bool {
        a.kind == b.kind && a.step == b.step && a.epoch == b.epoch && a.values.count == b.values.count
            && a.values.allSatisfy { key, value in b.values[key].map { same(value, $0) } ?? false }
    }

    private static func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
}

extension MetricsRecord: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Writes the flat object.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(kind, forKey: Key("kind"))
        try c.encode(step, forKey: Key("step"))
        try c.encodeFinite(epoch, forKey: Key("epoch"))
        for (name, value) in values { try c.encodeFinite(value, forKey: Key(name)) }
    }

    /// Reads the flat object; every key but `kind`, `step`, `epoch` is a
    /// metric (a number or null).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        kind = try c.decode(Kind.self, forKey: Key("kind"))
        step = try c.decode(Int.self, forKey: Key("step"))
        epoch = try c.decodeIfPresent(Double.self, forKey: Key("epoch")) ?? .nan
        var values: [String: Double] = [:]
        for key in c.allKeys where !Self.reserved.contains(key.stringValue) {
            values[key.stringValue] = try c.decodeIfPresent(Double.self, forKey: key) ?? .nan
        }
        self.values = values
    }
}

/// A problem writing or reading `metrics.jsonl`.
public enum MetricsLogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (metrics.jsonl or training_curves.svg) could not be opened,
    /// written or renamed.
    case cannotWrite(file: String, reason: String)
    /// The file could not be read.
    case cannotRead(file: String, reason: String)
    /// A complete line is not a metrics record.
    case malformedLine(file: String, line: Int, reason: String)

    /// A `file:line:` message.
    public var description: String {
        switch self {
        case let .cannotWrite(file, reason): return "\(file): cannot write: \(reason)"
        case let .cannotRead(file, reason): return "\(file): cannot read metrics: \(reason)"
        case let .malformedLine(file, line, reason): return "\(file):\(line): not a metrics record: \(reason)"
        }
    }
}

/// `metrics.jsonl` in a run's output directory: one JSON object per line,
/// appended as training goes (per logging step and per evaluation), so a
/// crashed run keeps every line it finished and `tail -f` shows progress.
///
/// Each append is a single `write(2)` on a descriptor opened with
/// `O_APPEND`, so lines never interleave. A kill during a write can leave a
/// last line without its line break; `read` ignores exactly that, and
/// `truncate(afterStep:)` (used when resuming from a checkpoint) rewrites the
/// file atomically without it and without records newer than the checkpoint.
public struct MetricsLog: Sendable {
    /// The file.
    public let url: URL

    /// A log at `url` (conventionally `<out>/metrics.jsonl`); creates nothing yet.
    public init(url: URL) {
        self.url = url
    }

    /// Empties the file (a new run), creating it if needed.
    public func reset() throws {
        try Self.writeAtomically(Data(), to: url)
    }

    /// Appends `record` as one line.
    public func append(_ record: MetricsRecord) throws {
        let line: Data
        do {
            line = Data((try encodeSortedJSON(record) + "\n").utf8)
        } catch {
            throw MetricsLogError.cannotWrite(file: url.path, reason: "\(error)")
        }
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        if fd < 0 { throw Self.cannotWrite(FileOutput.failure(url.path)) }
        defer { close(fd) }
        do { try FileOutput(descriptor: fd, path: url.path).write(line) } catch { throw Self.cannotWrite(error) }
    }

    /// Every record in the file, in order; an empty list when the file does
    /// not exist. A final line without a line break (a write cut off by a
    /// kill) is left out; any other bad line throws.
    public func read() throws -> [MetricsRecord] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw MetricsLogError.cannotRead(file: url.path, reason: error.localizedDescription)
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        lines.removeLast()  // what follows the last line break: empty, or a cut-off line
        let decoder = JSONDecoder()
        var records: [MetricsRecord] = []
        for (i, line) in lines.enumerated() where !line.isEmpty {
            do {
                records.append(try decoder.decode(MetricsRecord.self, from: Data(line)))
            } catch {
                throw MetricsLogError.malformedLine(file: url.path, line: i + 1, reason: Self.reason(error))
            }
        }
        return records
    }

    /// Keeps only the records with `step <= step` (resuming from the
    /// checkpoint of that step), rewriting the file atomically.
    public func truncate(afterStep step: Int) throws {
        let kept = try read().filter { $0.step <= step }
        var text = ""
        for record in kept {
            do {
                text += try encodeSortedJSON(record) + "\n"
            } catch {
                throw MetricsLogError.cannotWrite(file: url.path, reason: "\(error)")
            }
        }
        try Self.writeAtomically(Data(text.utf8), to: url)
    }

    private static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "invalid JSON" : "bad value for '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: return "invalid JSON"
        }
    }
}

extension MetricsLog {
    /// `AtomicFile.write`, with its failure reported as `MetricsLogError.cannotWrite`.
    static func writeAtomically(_ data: Data, to url: URL) throws(MetricsLogError) {
        do { try AtomicFile.write(data, to: url) } catch { throw cannotWrite(error) }
    }

    /// The `MetricsLogError` for a failed write.
    static func cannotWrite(_ error: FileWriteError) -> MetricsLogError {
        switch error {
        case let .cannotWrite(path, reason): return .cannotWrite(file: path, reason: reason)
        case .folderLocked: return .cannotWrite(file: "\(error)", reason: "locked")
        }
    }
}
