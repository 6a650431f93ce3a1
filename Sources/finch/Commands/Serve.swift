import ArgumentParser
import FinchServer
import Foundation

/// `finch serve`: the HTTP service (see `buildApplication(configuration:)`).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve models over HTTP: embeddings, classification, entities, search, with API keys.",
        discussion: """
            Settings come from --config (YAML), then FINCH_… environment variables (FINCH_PORT, \
            FINCH_DATA_DIR, FINCH_MODELS=name=dir,…), then flags; flags win. Unknown keys and bad \
            values stop start-up naming the key. Keys: finch keys create --scope admin. \
            SIGTERM or Ctrl-C stops accepting, finishes the requests in flight and exits 0.
            """)

    @Option(help: "YAML settings file (keys: \(ServerConfiguration.keys.joined(separator: ", "))).") var config: String?
    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port (default 8080; 0 picks a free one).") var port: String?
    @Option(name: .customLong("data-dir"), help: "Folder of the SQLite database (default ./finch-data).") var dataDir: String?
    @Option(name: .customLong("database-url"), help: "postgres://user:password@host:port/database instead of SQLite.")
    var databaseURL: String?
    @Option(name: .customLong("model"), help: "NAME=DIR: register a model folder at start (repeatable).") var models: [String] = []
    @Option(name: .customLong("max-batch-tokens"), help: "Padded tokens per forward pass (default 8192).") var maxBatchTokens: String?
    @Option(name: .customLong("max-wait-ms"), help: "How long a request waits for a batch to fill (default 2).") var maxWaitMs: String?
    @Option(name: .customLong("queue-capacity"), help: "Inputs that may wait per model before 503 (default 2048).")
    var queueCapacity: String?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String?
    @Option(
        name: .customLong("redact-stored-text"),
        help: "true or false: replace personal data in user texts before they are stored (default true).")
    var redactStoredText: String?
    @Option(
        name: .customLong("default-consent"),
        help: "true or false: consent (personalization, keeping texts for training) of users who never set theirs (default true).")
    var defaultConsent: String?

    func run() async throws {
        var flags: [String: String] = [:]
        flags["host"] = host
        flags["port"] = port
        flags["data_dir"] = dataDir
        flags["database_url"] = databaseURL
        flags["max_batch_tokens"] = maxBatchTokens
        flags["max_wait_ms"] = maxWaitMs
        flags["queue_capacity"] = queueCapacity
        flags["log_level"] = logLevel
        flags["redact_stored_text"] = redactStoredText
        flags["default_consent"] = defaultConsent
        if !models.isEmpty { flags["models"] = models.joined(separator: ",") }
        let configuration: ServerConfiguration
        do {
            configuration = try ServerConfiguration.load(file: config, environment: ProcessInfo.processInfo.environment, flags: flags)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        try await runApplication(configuration: configuration)
    }
}
