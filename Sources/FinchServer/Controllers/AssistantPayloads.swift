import FinchApps
import Foundation

/// The JSON shapes of the assistant routes (snake_case, as the rest of the API).
enum AssistantPayloads {
    struct Collection: Encodable {
        var name: String
        var model: String
        var prefix: String
        var count: Int
        var dimension: Int
        var threshold: Double
        var ambiguityMargin: Double
        var suggestedThreshold: Double
        var calibrationSamples: Int
        var createdAt: Date

        init(_ served: AssistantService.Served) {
            let r = served.record
            name = r.name
            model = r.model
            prefix = r.prefix
            count = served.entries.count
            dimension = r.dimension
            threshold = r.settings.handoff.threshold
            ambiguityMargin = r.settings.handoff.ambiguityMargin
            suggestedThreshold = r.calibration.suggestedThreshold
            calibrationSamples = r.calibration.sampleCount
            createdAt = r.createdAt
        }

        enum CodingKeys: String, CodingKey {
            case name, model, prefix, count, dimension, threshold
            case ambiguityMargin = "ambiguity_margin"
            case suggestedThreshold = "suggested_threshold"
            case calibrationSamples = "calibration_samples"
            case createdAt = "created_at"
        }
    }

    struct CollectionList: Encodable { var collections: [Collection] }

    struct Entry: Encodable {
        var id: String
        var question: String
        var answers: [String]
        var category: String?
        var alternatives: [String]

        init(_ e: FAQEntry) {
            id = e.id
            question = e.question
            answers = e.answers
            category = e.category
            alternatives = e.alternatives
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(question, forKey: .question)
            try c.encode(answers, forKey: .answers)
            try c.encode(category, forKey: .category)  // null when absent: the shape never changes
            try c.encode(alternatives, forKey: .alternatives)
        }

        enum CodingKeys: String, CodingKey { case id, question, answers, category, alternatives }
    }

    struct EntryList: Encodable { var entries: [Entry] }

    struct Suggestion: Encodable {
        var entry: String
        var question: String
        var score: Double
    }

    struct AskReply: Encodable {
        var id: String
        var session: String
        var answer: String?
        var entry: String?
        var score: Double
        var confidence: Double
        var alternatives: [Suggestion]
        var handoff: Bool
        var reason: String?
        var latencyMs: Double

        init(_ reply: AssistantAskReply) {
            id = reply.ask.id
            session = reply.ask.session
            answer = reply.answer.answer
            entry = reply.answer.entry
            score = reply.answer.score
            confidence = reply.answer.confidence
            alternatives = reply.answer.alternatives.map { Suggestion(entry: $0.entry, question: $0.question, score: $0.score) }
            handoff = reply.answer.handoff
            reason = reply.answer.reason
            latencyMs = reply.ask.latencyMilliseconds
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(session, forKey: .session)
            try c.encode(answer, forKey: .answer)
            try c.encode(entry, forKey: .entry)
            try c.encode(score, forKey: .score)
            try c.encode(confidence, forKey: .confidence)
            try c.encode(alternatives, forKey: .alternatives)
            try c.encode(handoff, forKey: .handoff)
            try c.encode(reason, forKey: .reason)
            try c.encode(latencyMs, forKey: .latencyMs)
        }

        enum CodingKeys: String, CodingKey {
            case id, session, answer, entry, score, confidence, alternatives, handoff, reason
            case latencyMs = "latency_ms"
        }
    }

    /// One stored ask (a turn of a session, or an open hand-off).
    struct Ask: Encodable {
        var record: AssistantAskRecord

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(record.id, forKey: .id)
            try c.encode(record.session, forKey: .session)
            try c.encode(record.user, forKey: .user)
            try c.encode(record.query, forKey: .query)
            try c.encode(record.entry, forKey: .entry)
            try c.encode(record.shown, forKey: .shown)
            try c.encode(record.confidence, forKey: .confidence)
            try c.encode(record.handoff, forKey: .handoff)
            try c.encode(record.reason, forKey: .reason)
            try c.encode(record.latencyMilliseconds, forKey: .latencyMs)
            try c.encode(record.createdAt, forKey: .createdAt)
            try c.encode(record.resolution, forKey: .resolution)
            try c.encode(record.resolvedAt, forKey: .resolvedAt)
        }

        enum CodingKeys: String, CodingKey {
            case id, session, user, query, entry, shown, confidence, handoff, reason, resolution
            case latencyMs = "latency_ms"
            case createdAt = "created_at"
            case resolvedAt = "resolved_at"
        }
    }

    struct Session: Encodable {
        var collection: String
        var session: String
        var asks: [Ask]
    }

    struct Handoffs: Encodable {
        var collection: String
        var handoffs: [Ask]
    }
}
