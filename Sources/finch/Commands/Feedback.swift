import ArgumentParser
import FinchApps
import FinchServer
import Foundation

/// `finch feedback export`: the service's stored feedback as JSON Lines.
struct Feedback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the feedback the service stored (POST /v1/feedback).",
        subcommands: [FeedbackExport.self])
}

struct FeedbackExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print stored feedback as JSON Lines, oldest first.",
        discussion: """
            One object per line with id, kind (classification, entities, answer), model, collection, \
            input (as stored: after PII redaction; null when the user's consent keeps no texts), label, \
            entities, entry, user, key_id and created_at.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "Only feedback about this model.") var model: String?
    @Option(help: "Only feedback about this assistant collection.") var collection: String?
    @Option(help: "Output format: jsonl.") var format: ExportFormat = .jsonl

    enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
        case jsonl
    }

    func run() async throws {
        let db = try await store.open()
        let records = try await db.feedback.feedback(FeedbackQuery(model: model, collection: collection))
        try await db.close()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        for record in records { try StandardOutput.line(String(decoding: try encoder.encode(record), as: UTF8.self)) }
    }
}
