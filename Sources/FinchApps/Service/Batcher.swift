import Foundation

/// Dynamic batching for one model: concurrent requests are queued and run
/// together in one forward pass on the batcher's own thread. The oldest
/// request waits at most `maxWaitMilliseconds` for company; a batch takes
/// queued requests closest in length to the oldest one (length grouping)
/// while the padded token count stays within `maxBatchTokens`. The queue is
/// bounded (`queueFull`), and requests past their deadline are dropped
/// (`deadlineExceeded`). `work` always runs on one thread, one call at a time,
/// so models that hold scratch memory need no lock.
public final class Batcher<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    /// Runs one forward pass: outputs in input order.
    public typealias Work = ([Input]) throws -> [Output]

    private struct Job {
        var id: UInt64
        var inputs: [Input]
        var longest: Int
        var enqueued: Double
        var deadline: Double
        var continuation: CheckedContinuation<([Output], BatchTiming), any Error>
    }

    public let name: String
    public let options: BatchingOptions
    private let work: Work
    private let observer: (any BatcherObserver)?
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Job] = []
    private var queuedInputs = 0
    private var stopping = false
    private var passes = 0
    private var nextID: UInt64 = 0
    private var thread: Thread?

    /// Starts the worker thread.
    public init(name: String, options: BatchingOptions, observer: (any BatcherObserver)? = nil, work: @escaping Work) {
        self.name = name
        self.options = options
        self.work = work
        self.observer = observer
        let thread = Thread { self.runLoop() }
        thread.name = "finch-batcher-\(name)"
        self.thread = thread
        thread.start()
    }

    /// Forward passes run so far.
    public var forwardPasses: Int { condition.withLock { passes } }

    /// Inputs waiting now.
    public var queueDepth: Int { condition.withLock { queuedInputs } }

    /// Queues `inputs` (`lengths[i]` tokens each) and returns their outputs
    /// once the forward pass that held them is done. A request whose task is
    /// cancelled while it waits leaves the queue at once (`CancellationError`);
    /// one already in a forward pass finishes with it.
    public func submit(_ inputs: [Input], lengths: [Int]) async throws -> ([Output], BatchTiming) {
        precondition(inputs.count == lengths.count, "one length per input")
        if inputs.isEmpty { return ([], BatchTiming(queueSeconds: 0, inferenceSeconds: 0, batchInputs: 0)) }
        let id = condition.withLock {
            nextID += 1
            return nextID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                condition.lock()
                if stopping {
                    condition.unlock()
                    continuation.resume(throwing: BatcherError.stopped)
                    return
                }
                if Task.isCancelled {
                    condition.unlock()
                    continuation.resume(throwing: CancellationError())
                    return
                }
                if queuedInputs + inputs.count > options.queueCapacity {
                    condition.unlock()
                    continuation.resume(throwing: BatcherError.queueFull(capacity: options.queueCapacity, retryAfterSeconds: 1))
                    return
                }
                let now = Self.now()
                queue.append(
                    Job(
                        id: id, inputs: inputs, longest: lengths.max() ?? 0, enqueued: now,
                        deadline: now + options.timeoutSeconds, continuation: continuation))
                queuedInputs += inputs.count
                reportDepth()
                condition.signal()
                condition.unlock()
            }
        } onCancel: {
            cancel(id)
        }
    }

    /// Takes job `id` out of the queue, if it is still waiting, and fails it with `CancellationError`.
    private func cancel(_ id: UInt64) {
        condition.lock()
        guard let index = queue.firstIndex(where: { $0.id == id }) else {
            condition.unlock()
            return
        }
        let job = queue.remove(at: index)
        queuedInputs -= job.inputs.count
        reportDepth()
        condition.unlock()
        job.continuation.resume(throwing: CancellationError())
    }

    /// Tells the observer the queue's depth now (lock held, so that reports arrive in the order
    /// the depth changed and the last one is the depth that stays: a report made after unlocking
    /// could overtake a later one and leave the gauge at a stale value while the queue is empty).
    private func reportDepth() {
        observer?.queueDepthChanged(model: name, depth: queuedInputs)
    }

    /// Stops taking requests, finishes the queued ones, and ends the thread.
    public func shutdown() {
        condition.withLock {
            stopping = true
            condition.broadcast()
        }
    }

    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    private func runLoop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if queue.isEmpty && stopping {
                condition.unlock()
                return
            }
            // Let the oldest request wait a little for others to join.
            let until = queue[0].enqueued + options.maxWaitMilliseconds / 1000
            while !stopping && paddedTokensQueued() < options.maxBatchTokens && queuedInputs < options.maxBatchInputs
                && Self.now() < until
            {
                _ = condition.wait(until: Date(timeIntervalSinceNow: max(0, until - Self.now())))
            }
            let now = Self.now()
            let expired = queue.filter { $0.deadline < now }
            queue.removeAll { $0.deadline < now }
            let batch = takeBatch()
            queuedInputs -= (batch + expired).reduce(0) { $0 + $1.inputs.count }
            if !batch.isEmpty { passes += 1 }
            reportDepth()
            condition.unlock()
            for job in expired { job.continuation.resume(throwing: BatcherError.deadlineExceeded(seconds: now - job.enqueued)) }
            if !batch.isEmpty { run(batch, startedAt: now) }
        }
    }

    /// Padded size of the whole queue, as one batch would hold it (lock held).
    private func paddedTokensQueued() -> Int {
        var longest = 0, count = 0
        for job in queue {
            longest = max(longest, job.longest)
            count += job.inputs.count
        }
        return longest * count
    }

    /// The oldest job plus the queued jobs closest to it in length that fit the budget (lock held).
    private func takeBatch() -> [Job] {
        guard !queue.isEmpty else { return [] }
        let first = queue.removeFirst()
        var batch = [first]
        var longest = first.longest, count = first.inputs.count
        let order = queue.indices.sorted { abs(queue[$0].longest - first.longest) < abs(queue[$1].longest - first.longest) }
        var taken = Set<Int>()
        for i in order {
            let job = queue[i]
            let newLongest = max(longest, job.longest), newCount = count + job.inputs.count
            guard newLongest * newCount <= options.maxBatchTokens, newCount <= options.maxBatchInputs else { continue }
            batch.append(job)
            taken.insert(i)
            longest = newLongest
            count = newCount
        }
        queue = queue.indices.filter { !taken.contains($0) }.map { queue[$0] }
        return batch
    }

    private func run(_ batch: [Job], startedAt: Double) {
        let inputs = batch.flatMap(\.inputs)
        let start = Self.now()
        let result: Result<[Output], any Error>
        do {
            let outputs = try work(inputs)
            precondition(outputs.count == inputs.count, "batch work returned \(outputs.count) outputs for \(inputs.count) inputs")
            result = .success(outputs)
        } catch {
            result = .failure(error)
        }
        let seconds = Self.now() - start
        observer?.batchRan(
            model: name, inputs: inputs.count, paddedTokens: (batch.map(\.longest).max() ?? 0) * inputs.count,
            seconds: seconds)
        var offset = 0
        for job in batch {
            let n = job.inputs.count
            switch result {
            case .success(let outputs):
                let timing = BatchTiming(queueSeconds: start - job.enqueued, inferenceSeconds: seconds, batchInputs: inputs.count)
                job.continuation.resume(returning: (Array(outputs[offset..<offset + n]), timing))
            case .failure(let error):
                job.continuation.resume(throwing: error)
            }
            offset += n
        }
    }
}
