import FinchApps
import FinchServer
import Foundation
import Logging
import Testing

@Suite struct WebhookDeliveryTests {
    static let logger = Logger(label: "webhook-tests")

    /// Polls `condition` every 20 ms for at most `seconds`.
    static func waitUntil(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return try await condition()
    }

    static func webhook(_ id: String, port: Int, path: String = "hook", secret: String) -> WebhookRecord {
        WebhookRecord(id: id, monitor: "news", url: "http://127.0.0.1:\(port)/\(path)", secret: secret, createdAt: Date())
    }

    @Test func signatureIsHexHMACSHA256OfTheBody() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let value = WebhookSignature.value(body: Data("what do ya want for nothing?".utf8), secret: "Jefe")
        #expect(value == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(WebhookSignature.isValid(value, body: Data("what do ya want for nothing?".utf8), secret: "Jefe"))
        #expect(!WebhookSignature.isValid(value, body: Data("what do ya want for nothing!".utf8), secret: "Jefe"))
        #expect(!WebhookSignature.isValid(value, body: Data("what do ya want for nothing?".utf8), secret: "jefe"))
    }

    @Test func retryWaitsGrowAndStopAtMaxAttempts() throws {
        let policy = WebhookRetryPolicy(maxAttempts: 6, initialDelay: 1, maxDelay: 100)
        for unit in [0.0, 0.5, 0.999] {
            let waits = (1...5).map { policy.delay(after: $0, unit: unit)! }
            #expect(waits[0] <= 1 && waits[0] >= 0.75)
            #expect(waits[4] <= 16 && waits[4] >= 12)
        }
        // The shortest next wait exceeds the longest previous one.
        for attempt in 1...4 {
            let longest = try #require(policy.delay(after: attempt, unit: 0))
            let shortest = try #require(policy.delay(after: attempt + 1, unit: 0.999_999))
            #expect(shortest > longest)
        }
        #expect(policy.delay(after: 6, unit: 0) == nil)
        #expect(WebhookRetryPolicy(maxAttempts: 20, initialDelay: 1, maxDelay: 30).delay(after: 15, unit: 0) == 30)
    }

    @Test func receiverVerifiesTheSignatureOfADelivery() async throws {
        let receiver = WebhookReceiver(secret: "s3cret")
        let log = InMemoryWebhookRepository()
        try await receiver.run { (port: Int) async throws -> Void in
            let dispatcher = WebhookDispatcher(log: log, logger: Self.logger)
            defer { dispatcher.shutdown() }
            let body = Data(#"{"event":"alert","monitor":"news","alert":{"entity":"ACME"}}"#.utf8)
            dispatcher.enqueue(.init(event: "alert", body: body), to: [Self.webhook("w1", port: port, secret: "s3cret")])
            #expect(try await Self.waitUntil(10) { try await log.attempts(webhook: "w1", limit: 10).count == 1 })
            let request = try #require(receiver.requests.first)
            #expect(request.body == body)
            #expect(request.signatureValid)
            #expect(request.signature == WebhookSignature.value(body: body, secret: "s3cret"))
            #expect(request.event == "alert")
            let attempt = try #require(try await log.attempts(webhook: "w1", limit: 10).first)
            #expect(attempt.outcome == .delivered && attempt.statusCode == 200 && attempt.attempt == 1)
        }
    }

    @Test func retriesAfter500UntilDelivered() async throws {
        let receiver = WebhookReceiver(secret: "k", statuses: [500, 503])
        let log = InMemoryWebhookRepository()
        try await receiver.run { (port: Int) async throws -> Void in
            let dispatcher = WebhookDispatcher(
                log: log, policy: WebhookRetryPolicy(maxAttempts: 5, initialDelay: 0.05), logger: Self.logger)
            defer { dispatcher.shutdown() }
            dispatcher.enqueue(.init(event: "alert", body: Data("{}".utf8)), to: [Self.webhook("w", port: port, secret: "k")])
            #expect(
                try await Self.waitUntil(60) {
                    try await log.attempts(webhook: "w", limit: 10).last?.outcome == .delivered
                })
            let attempts = try await log.attempts(webhook: "w", limit: 10)
            #expect(attempts.map(\.outcome) == [.retrying, .retrying, .delivered])
            #expect(attempts.map(\.statusCode) == [500, 503, 200])
            #expect(attempts.map(\.attempt) == [1, 2, 3])
            #expect(Set(attempts.map(\.delivery)).count == 1)
            #expect(receiver.requests.count == 3)
            #expect(receiver.requests.allSatisfy { $0.signatureValid })
        }
    }

    @Test func aTargetThatStaysDownGetsBoundedAttemptsWithGrowingSpacing() async throws {
        let receiver = WebhookReceiver(secret: "k", statuses: Array(repeating: 500, count: 100))
        let log = InMemoryWebhookRepository()
        try await receiver.run { (port: Int) async throws -> Void in
            // The waits the dispatcher asks for are recorded: their growth is the policy's, while the
            // wall-clock gaps also hold the scheduling delays of a loaded test process.
            let waits = WaitRecorder()
            let dispatcher = WebhookDispatcher(
                log: log, policy: WebhookRetryPolicy(maxAttempts: 4, initialDelay: 0.2), logger: Self.logger,
                sleep: { seconds in
                    waits.add(seconds)
                    try await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                })
            defer { dispatcher.shutdown() }
            dispatcher.enqueue(.init(event: "alert", body: Data("{}".utf8)), to: [Self.webhook("w", port: port, secret: "k")])
            #expect(
                try await Self.waitUntil(60) {
                    try await log.attempts(webhook: "w", limit: 10).last?.outcome == .failed
                })
            // Nothing more arrives after the last attempt.
            try await Task.sleep(nanoseconds: 1_000_000_000)
            let times = receiver.requests.map(\.at)
            #expect(times.count == 4)
            let gaps = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
            #expect(gaps.count == 3)
            // Each gap is at least the wait asked for, and the waits grow.
            let asked = waits.all
            #expect(asked.count == 3)
            for (a, b) in zip(asked, asked.dropFirst()) { #expect(b > a, "waits \(asked)") }
            for (gap, wait) in zip(gaps, asked) { #expect(gap >= wait - 0.01, "gaps \(gaps), waits \(asked)") }
            #expect(asked.first.map { $0 >= 0.15 } == true)
            let outcomes = try await log.attempts(webhook: "w", limit: 10).map(\.outcome)
            #expect(outcomes == [.retrying, .retrying, .retrying, .failed])
        }
    }

    @Test func aTargetThatHangsDelaysNoOtherWebhook() async throws {
        let receiver = WebhookReceiver(secret: "k", slowSeconds: 12)
        let log = InMemoryWebhookRepository()
        try await receiver.run { (port: Int) async throws -> Void in
            let dispatcher = WebhookDispatcher(
                log: log, policy: WebhookRetryPolicy(maxAttempts: 2, initialDelay: 0.1, attemptTimeout: 10), logger: Self.logger)
            defer { dispatcher.shutdown() }
            let slow = Self.webhook("slow", port: port, path: "slow", secret: "k")
            let fine = Self.webhook("fine", port: port, secret: "k")
            let start = Date()
            for i in 0..<3 {
                dispatcher.enqueue(.init(event: "alert", body: Data(#"{"n":\#(i)}"#.utf8)), to: [slow, fine])
            }
            let delivered = try await Self.waitUntil(30) { try await log.attempts(webhook: "fine", limit: 10).count == 3 }
            #expect(delivered)
            // The healthy webhook got all three while the slow one's first attempt (10 s timeout, 12 s
            // answer) had not ended: it waited for nothing of the slow one's.
            let elapsed = Date().timeIntervalSince(start)
            let slowAttempts = try await log.attempts(webhook: "slow", limit: 10)
            #expect(slowAttempts.isEmpty, "the healthy webhook took \(elapsed) s")
            let fineAttempts = try await log.attempts(webhook: "fine", limit: 10)
            #expect(fineAttempts.allSatisfy { $0.outcome == .delivered })
        }
    }

    @Test func aFullQueueDropsAndLogsInsteadOfWaiting() async throws {
        let receiver = WebhookReceiver(secret: "k", slowSeconds: 3)
        let log = InMemoryWebhookRepository()
        try await receiver.run { (port: Int) async throws -> Void in
            let dispatcher = WebhookDispatcher(
                log: log, policy: WebhookRetryPolicy(maxAttempts: 1, attemptTimeout: 2), queueCapacity: 2, logger: Self.logger)
            defer { dispatcher.shutdown() }
            let slow = Self.webhook("slow", port: port, path: "slow", secret: "k")
            // The first is taken by the worker at once, two wait, the rest are dropped.
            for i in 0..<6 { dispatcher.enqueue(.init(event: "alert", body: Data(#"{"n":\#(i)}"#.utf8)), to: [slow]) }
            #expect(
                try await Self.waitUntil(5) {
                    try await log.attempts(webhook: "slow", limit: 10).filter { $0.outcome == .dropped }.count >= 2
                })
        }
    }
}

/// Durations a test's injected sleep was asked for.
final class WaitRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var waits: [Double] = []
    func add(_ seconds: Double) { lock.withLock { waits.append(seconds) } }
    var all: [Double] { lock.withLock { waits } }
}
