import ArgumentParser
import FinchApps
import Foundation

/// `finch assistant ask`: answers each query line from a collection folder.
struct AssistantAsk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer each query on stdin from a collection folder (one JSON line per query).",
        discussion: """
            Each answer is {"query", "answer", "entry", "score", "confidence", "alternatives", "handoff", \
            "reason"}: the top entry's answer and id, its fused score, the calibrated probability that it \
            is right, up to three other entries, and whether the query goes to a person and why. The model \
            is the one the collection was imported with unless --model names another (it must give vectors \
            of the same width).
            """)

    @Option(help: "The collection folder (from finch assistant import).") var collection: String
    @Option(help: "Model: a directory, or hf:ORG/NAME[@revision]. Default: the one the collection was imported with.")
    var model: String?
    @OptionGroup var handoff: HandoffOptions
    @OptionGroup var embedding: AssistantModelOptions

    func run() throws {
        let (assistant, manifest) = try AssistantStore.load(URL(fileURLWithPath: collection))
        let directory = try ModelLocation.resolve(model ?? manifest.model)
        let encoder = try embedding.encoder(directory, storedPrefix: manifest.prefix)
        guard encoder.dimension == assistant.dimension else {
            throw ValidationError(
                "the model gives vectors of \(encoder.dimension) values, the collection \(collection) holds \(assistant.dimension)")
        }
        let policy = handoff.policy(base: assistant.settings.handoff, calibration: assistant.calibration)
        var lines = StandardInputLines()
        while let query = try lines.next() {
            let reply: AssistantAnswer
            if query.allSatisfy(\.isWhitespace) {
                reply = .blank
            } else {
                reply = assistant.answer(vector: try encoder.encode([query]).scalars, query: query, policy: policy)
            }
            try StandardOutput.json(AskLine(query: query, reply: reply))
        }
    }
}

/// One answer line of `ask`.
struct AskLine: Encodable {
    var query: String
    var reply: AssistantAnswer

    enum CodingKeys: String, CodingKey { case query, answer, entry, score, confidence, alternatives, handoff, reason }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(query, forKey: .query)
        try c.encode(reply.answer, forKey: .answer)
        try c.encode(reply.entry, forKey: .entry)
        try c.encode(reply.score, forKey: .score)
        try c.encode(reply.confidence, forKey: .confidence)
        try c.encode(reply.alternatives, forKey: .alternatives)
        try c.encode(reply.handoff, forKey: .handoff)
        try c.encode(reply.reason, forKey: .reason)
    }
}
