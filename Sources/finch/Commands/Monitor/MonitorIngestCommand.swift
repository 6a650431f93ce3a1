import ArgumentParser
import FinchApps
import FinchServer
import FinchText
import Foundation

/// `finch monitor ingest`: a JSON Lines stream into a monitor of the service's store, offline.
struct MonitorIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Score and store a JSONL stream of documents into a monitor of the service's store (offline).",
        discussion: """
            The monitor (created through PUT /v1/monitors/NAME) names registered models; their active \
            versions are loaded from the folders the store records. Reads --input as JSON Lines \
            {"id", "text", "time"} (ISO 8601; optional "source", "url"), redacts each text (unless the \
            settings turn redact_stored_text off), scores, tags and stores it with its bucket counts, \
            exactly as POST /v1/monitors/NAME/documents does; ids already stored change nothing. \
            Prints {"documents", "new", "known"} as one JSON line. Alerts are raised by the service \
            when it next closes the buckets.
            """)

    @Option(help: "The monitor's name.") var monitor: String
    @Option(help: "The stream: JSON Lines with id, text and ISO 8601 time.") var input: String
    @Option(name: .customLong("batch-size"), help: "Documents scored and stored together.") var batchSize = 256
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
    }

    func run() async throws {
        let documents = try MonitorStreamReader.read(URL(fileURLWithPath: input))
        let redact = try store.configuration().redactStoredText
        let db = try await store.open()
        do {
            guard let config = try await db.monitors.monitor(name: monitor) else {
                throw ValidationError("--monitor: the store has no monitor named '\(monitor)'")
            }
            let versions = try await db.models.allVersions()
            func load(_ name: String, field: String) throws -> FineTunedDocumentModel {
                guard let active = versions.first(where: { $0.name == name && $0.active }) else {
                    throw ValidationError("monitor '\(monitor)', \(field): no active version of model '\(name)' in the store")
                }
                return try FineTunedDocumentModel(directory: URL(fileURLWithPath: active.path), batchSize: 64)
            }
            let pipeline = MonitorPipeline(
                config: config, sentiment: try load(config.sentimentModel, field: "sentiment_model"),
                topic: try config.topicModel.map { try load($0, field: "topic_model") },
                tagger: try config.tagger.map { try load($0, field: "tagger") },
                redaction: StoredTextRedaction(redactor: redact ? try PIIRedactor.standard() : nil))
            let service = MonitorService(pipeline: pipeline, repository: db.monitors)
            var new = 0
            var start = 0
            while start < documents.count {
                let batch = Array(documents[start..<min(start + batchSize, documents.count)])
                new += try await service.ingest(batch).filter(\.isNew).count
                start += batch.count
            }
            try await db.close()
            try StandardOutput.line(#"{"documents":\#(documents.count),"new":\#(new),"known":\#(documents.count - new)}"#)
        } catch {
            try? await db.close()
            throw error
        }
    }
}

extension StoreOptions {
    /// The settings these options select (as `open()` reads them).
    func configuration() throws -> ServerConfiguration {
        var flags: [String: String] = [:]
        flags["data_dir"] = dataDir
        flags["database_url"] = databaseURL
        do {
            return try ServerConfiguration.load(file: config, environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }
}
