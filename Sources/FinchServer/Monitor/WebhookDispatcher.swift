import FinchApps
import Foundation
import Logging
import Synchronization

/// Delivers monitor events to webhooks, off the request path: `enqueue`
/// only appends to the target webhook's own queue and returns. Each webhook
/// has one worker task that sends its deliveries in order, each with
/// retries after `WebhookRetryPolicy`'s growing waits, and writes every
/// attempt to the delivery log. A target that is down or slow holds back
/// only its own queue; when that queue is full (`queueCapacity`), the new
/// delivery is logged as `dropped` instead of waiting.
public final class WebhookDispatcher: Sendable {
    /// One event to send.
    public struct Delivery: Sendable {
        public var id: String
        public var event: String
        public var body: Data

        public init(id: String = UUID().uuidString, event: String, body: Data) {
            self.id = id
            self.event = event
            self.body = body
        }
    }

    struct Worker {
        var continuation: AsyncStream<Delivery>.Continuation
        var task: Task<Void, Never>
    }

    let log: any WebhookRepository
    let transport: any WebhookTransport
    let policy: WebhookRetryPolicy
    let queueCapacity: Int
    let logger: Logger
    let random: @Sendable () -> Double
    let sleep: @Sendable (Double) async throws -> Void
    private let workers = Mutex<[String: Worker]>([:])
    private let stopped = Mutex(false)

    /// `random` gives the jitter (in [0, 1)); `sleep` waits between attempts (tests may speed it up).
    public init(
        log: any WebhookRepository, transport: any WebhookTransport = HTTPClientWebhookTransport(),
        policy: WebhookRetryPolicy = WebhookRetryPolicy(), queueCapacity: Int = 1000, logger: Logger,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        sleep: @escaping @Sendable (Double) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64($0 * 1e9)) }
    ) {
        self.log = log
        self.transport = transport
        self.policy = policy
        self.queueCapacity = max(1, queueCapacity)
        self.logger = logger
        self.random = random
        self.sleep = sleep
    }

    /// Queues `delivery` for each webhook; returns at once.
    public func enqueue(_ delivery: Delivery, to webhooks: [WebhookRecord]) {
        guard !stopped.withLock({ $0 }) else { return }
        for webhook in webhooks {
            let result = workers.withLock { workers in
                let worker = workers[webhook.id] ?? startWorker(for: webhook)
                workers[webhook.id] = worker
                return worker.continuation.yield(delivery)
            }
            if case .dropped = result {
                let record = WebhookAttemptRecord(
                    webhook: webhook.id, delivery: delivery.id, event: delivery.event, attempt: 0, outcome: .dropped, statusCode: nil,
                    error: "the webhook's queue is full (\(queueCapacity) deliveries waiting)", at: Date())
                Task { await self.write(record) }
            }
        }
    }

    /// Stops the worker of a deleted webhook (what it had queued is not sent).
    public func forget(webhook id: String) {
        let worker = workers.withLock { $0.removeValue(forKey: id) }
        worker?.continuation.finish()
        worker?.task.cancel()
    }

    /// Cancels every worker; later deliveries are ignored.
    public func shutdown() {
        stopped.withLock { $0 = true }
        let all = workers.withLock { w in
            defer { w.removeAll() }
            return Array(w.values)
        }
        for worker in all {
            worker.continuation.finish()
            worker.task.cancel()
        }
    }

    private func startWorker(for webhook: WebhookRecord) -> Worker {
        let (stream, continuation) = AsyncStream<Delivery>.makeStream(bufferingPolicy: .bufferingOldest(queueCapacity))
        let task = Task { [self] in
            for await delivery in stream {
                if Task.isCancelled { break }
                await send(delivery, to: webhook)
            }
        }
        return Worker(continuation: continuation, task: task)
    }

    /// Every attempt of one delivery, until one succeeds or the policy says stop.
    func send(_ delivery: Delivery, to webhook: WebhookRecord) async {
        let headers = [
            ("Content-Type", "application/json"),
            (WebhookSignature.header, WebhookSignature.value(body: delivery.body, secret: webhook.secret)),
            ("X-Finch-Event", delivery.event), ("X-Finch-Delivery", delivery.id),
        ]
        var attempt = 1
        while !Task.isCancelled {
            var status: Int?
            var failure: String?
            do {
                status = try await transport.post(url: webhook.url, headers: headers, body: delivery.body, timeout: policy.attemptTimeout)
                if let code = status, !(200..<300).contains(code) { failure = "the target answered \(code)" }
            } catch {
                failure = String(describing: error)
            }
            let wait = failure == nil ? nil : policy.delay(after: attempt, unit: random())
            let outcome: WebhookAttemptOutcome = failure == nil ? .delivered : (wait == nil ? .failed : .retrying)
            await write(
                WebhookAttemptRecord(
                    webhook: webhook.id, delivery: delivery.id, event: delivery.event, attempt: attempt, outcome: outcome,
                    statusCode: status, error: status == nil ? failure : nil, at: Date()))
            guard let wait else { return }
            do { try await sleep(wait) } catch { return }
            attempt += 1
        }
    }

    private func write(_ record: WebhookAttemptRecord) async {
        do { try await log.recordAttempt(record) } catch {
            logger.warning(
                "webhook delivery log not written",
                metadata: ["webhook": .string(record.webhook), "error": .string(String(describing: error))])
        }
    }
}
