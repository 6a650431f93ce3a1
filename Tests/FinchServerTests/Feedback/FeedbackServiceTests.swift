import FinchApps
import FinchText
import Foundation
import Synchronization
import Testing

/// A consent table for tests: users listed in `noTexts` keep no texts for training.
struct TableConsent: ConsentLookup {
    var noTexts: Set<String>
    func consent(user: String) async throws -> UserConsent {
        UserConsent(personalization: true, storeTextsForTraining: !noTexts.contains(user))
    }
}

/// An assistant sink that remembers the alternatives it was given.
final class RecordingSink: AssistantFeedbackSink {
    let added = Mutex<[String]>([])
    func checkEntry(collection: String, entry: String?) throws {}
    func addAlternative(collection: String, entry: String, query: String) async throws {
        added.withLock { $0.append("\(collection)/\(entry): \(query)") }
    }
}

/// `FeedbackService` without HTTP: consent, the assistant sink, erasure, spans under redaction.
@Suite struct FeedbackServiceTests {
    @Test func consentWithoutTextsKeepsTheLabelButNotTheInput() async throws {
        let store = InMemoryFeedbackRepository()
        let service = FeedbackService(
            store: store, registry: nil, storedText: .off, consent: TableConsent(noTexts: ["private-user"]))
        let kept = try await service.submit(.classification(model: "m", input: "good film", label: "pos"), user: "open-user", keyID: "k1")
        let dropped = try await service.submit(
            .classification(model: "m", input: "my secret text", label: "neg"), user: "private-user", keyID: "k1")
        #expect(kept.record.input == "good film")
        #expect(dropped.record.input == nil)
        #expect(dropped.record.label == "neg")
        let stored = try await store.feedback(FeedbackQuery(model: "m"))
        #expect(stored.map(\.input) == ["good film", nil])
    }

    @Test func acceptedAnswersBecomeAlternativesRedactedAndOnlyWithConsent() async throws {
        let sink = RecordingSink()
        let service = FeedbackService(
            store: InMemoryFeedbackRepository(), registry: nil, storedText: StoredTextRedaction(redactor: try PIIRedactor.standard()),
            consent: TableConsent(noTexts: ["private-user"]), assistant: sink)
        let receipt = try await service.submit(
            .answer(collection: "faq", query: "reset password for bob@example.org", entry: "pw"), user: nil, keyID: "k")
        #expect(receipt.alternativeAdded)
        _ = try await service.submit(.answer(collection: "faq", query: "opening hours?", entry: nil), user: nil, keyID: "k")
        _ = try await service.submit(.answer(collection: "faq", query: "my own words", entry: "pw"), user: "private-user", keyID: "k")
        let added = sink.added.withLock { $0 }
        #expect(added.count == 1, "\(added)")
        #expect(added.first?.hasPrefix("faq/pw: reset password for ") == true)
        #expect(added.first?.contains("bob@example.org") == false)
    }

    @Test func erasureRemovesOnlyThatUsersFeedback() async throws {
        let store = InMemoryFeedbackRepository()
        let service = FeedbackService(store: store, registry: nil, storedText: .off)
        for user in ["a", "b", "a"] {
            _ = try await service.submit(.classification(model: "m", input: "text of \(user)", label: "x"), user: user, keyID: "k")
        }
        let eraser = FeedbackEraser(store: store)
        #expect(eraser.dataName == "feedback")
        #expect(try await eraser.eraseUser("a") == 2)
        #expect(try await eraser.eraseUser("a") == 0)
        #expect(try await store.feedback(FeedbackQuery()).map(\.user) == ["b"])
    }

    @Test func entitySpansFollowTheirWordsThroughRedaction() throws {
        let gate = StoredTextRedaction(redactor: try PIIRedactor.standard())
        let text = "Mary wrote to ann@example.com from Paris and Rome"
        func span(_ word: String, _ type: String) -> FeedbackSpan {
            let scalars = Array(text.unicodeScalars), target = Array(word.unicodeScalars)
            let start = (0...(scalars.count - target.count)).first { Array(scalars[$0..<($0 + target.count)]) == target }!
            return FeedbackSpan(start: start, end: start + target.count, type: type)
        }
        let spans = [span("Mary", "PER"), span("ann@example.com", "PER"), span("Paris", "LOC"), span("Rome", "LOC")]
        let (stored, moved) = try gate.applyKeepingSpans(text, spans: spans)
        #expect(!stored.contains("ann@example.com"))
        let scalars = Array(stored.unicodeScalars)
        let words = moved.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) }
        #expect(words == ["Mary", "Paris", "Rome"])
        #expect(moved.map(\.type) == ["PER", "LOC", "LOC"])
        // Without redaction the spans are unchanged.
        #expect(try StoredTextRedaction.off.applyKeepingSpans(text, spans: spans).spans == spans)
    }
}
