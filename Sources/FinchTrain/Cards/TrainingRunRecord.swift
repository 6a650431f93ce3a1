import FinchSupport
import FinchTransformers
import Foundation

/// What a training run knows about itself, kept beside the model as
/// `finch_run.json` so the model card can be written again later
/// (`finch card`) with the same facts: the command, the settings, the data
/// files (rows and SHA-256), the label distribution, the final metrics, the
/// hardware, the duration and the Finch version.
public struct TrainingRunRecord: Codable, Sendable, Equatable {
    /// The file name in the model folder.
    public static let fileName = "finch_run.json"

    /// What was trained: `text-classification`, `token-classification` or `recommendation`.
    public var task: String
    /// The command line that ran (`finch train classify --head logistic …`), or the service job that did.
    public var command: String
    /// The recipe's settings that matter for reproducing it (name → value as text).
    public var settings: [String: String]
    /// The pretrained model fine-tuned (a folder or hub id), nil when trained from scratch.
    public var baseModel: String?
    /// The files read.
    public var dataFiles: [DataFileRecord]
    /// Training examples per label (per entity type for taggers), nil when it does not apply.
    public var labelDistribution: [String: Int]?
    /// How the evaluation data was obtained (`--dev dev.csv`, "10 % held out of train.csv, seed 42").
    public var evaluationData: String?
    /// The final evaluation (metric → value).
    public var metrics: [String: Double]
    /// The training-curve file in the model folder, nil when none was written.
    public var curvesFile: String?
    /// The machine: CPU model, cores, memory, operating system.
    public var hardware: String
    /// Wall-clock seconds of the run.
    public var seconds: Double
    /// The Finch version that trained it.
    public var finchVersion: String
    /// When the run finished (ISO 8601, UTC).
    public var finishedAt: String

    enum CodingKeys: String, CodingKey {
        case task, command, settings, metrics, hardware, seconds
        case baseModel = "base_model"
        case dataFiles = "data_files"
        case labelDistribution = "label_distribution"
        case evaluationData = "evaluation_data"
        case curvesFile = "curves_file"
        case finchVersion = "finch_version"
        case finishedAt = "finished_at"
    }

    /// A record; `finishedAt` defaults to now and `hardware` to this machine.
    public init(
        task: String, command: String, settings: [String: String] = [:], baseModel: String? = nil, dataFiles: [DataFileRecord] = [],
        labelDistribution: [String: Int]? = nil, evaluationData: String? = nil, metrics: [String: Double] = [:],
        curvesFile: String? = nil, hardware: String = HardwareDescription.current(), seconds: Double, finchVersion: String,
        finishedAt: Date = Date()
    ) {
        self.task = task
        self.command = command
        self.settings = settings
        self.baseModel = baseModel
        self.dataFiles = dataFiles
        self.labelDistribution = labelDistribution
        self.evaluationData = evaluationData
        self.metrics = metrics
        self.curvesFile = curvesFile
        self.hardware = hardware
        self.seconds = seconds
        self.finchVersion = finchVersion
        self.finishedAt = ISO8601DateFormatter().string(from: finishedAt)
    }

    /// Writes `finch_run.json` into `directory` atomically.
    public func write(to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self), to: directory.appendingPathComponent(Self.fileName))
    }

    /// The record in `directory`, nil when it has none.
    ///
    /// - Throws: `TaskError.invalidModelFile` naming a file that is not such a record.
    public static func readIfPresent(in directory: URL) throws -> TrainingRunRecord? {
        let url = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try TaskError.decodeModelFile(TrainingRunRecord.self, at: url)
    }

    /// A command line as a shell would take it back: arguments with spaces or quotes single-quoted.
    public static func commandLine(_ arguments: [String]) -> String {
        arguments.map { a in
            let plain = !a.isEmpty && a.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,@+%".contains($0) }
            return plain ? a : "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}

/// A data file a run read: its role, path, rows and SHA-256.
public struct DataFileRecord: Codable, Sendable, Equatable {
    /// `train`, `dev`, `ratings`, `item-text`, …
    public var role: String
    /// The path as given.
    public var path: String
    /// Records read from it (examples, sentences, ratings).
    public var rows: Int
    /// Lower-case hex SHA-256 of the file's bytes.
    public var sha256: String

    /// A record from its parts.
    public init(role: String, path: String, rows: Int, sha256: String) {
        self.role = role
        self.path = path
        self.rows = rows
        self.sha256 = sha256
    }

    /// Hashes the file at `path` (streaming, 1 MiB at a time).
    ///
    /// - Throws: `DataError.unreadableFile` naming the file.
    public static func measure(role: String, path: String, rows: Int) throws -> DataFileRecord {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError.unreadableFile(file: path, reason: "cannot open it to compute its SHA-256")
        }
        defer { try? handle.close() }
        var digest = SHA256Digest()
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw DataError.unreadableFile(file: path, reason: SystemReason.describe(error))
            }
            if chunk.isEmpty { break }
            chunk.withUnsafeBytes { digest.update($0) }
        }
        return DataFileRecord(role: role, path: path, rows: rows, sha256: digest.finalizeHex())
    }
}
