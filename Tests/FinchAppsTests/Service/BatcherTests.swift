import FinchApps
import Foundation
import Testing

@Suite struct BatcherTests {
    /// Doubles its inputs, counting calls; `delay` seconds per call.
    final class Doubler: @unchecked Sendable {
        let lock = NSLock()
        var calls: [[Int]] = []
        let delay: Double
        init(delay: Double = 0) { self.delay = delay }
        func run(_ inputs: [Int]) -> [Int] {
            if delay > 0 { Thread.sleep(forTimeInterval: delay) }
            lock.withLock { calls.append(inputs) }
            return inputs.map { $0 * 2 }
        }
    }

    @Test func concurrentRequestsShareForwardPasses() async throws {
        let doubler = Doubler(delay: 0.01)
        let batcher = Batcher<Int, Int>(name: "t", options: BatchingOptions(maxWaitMilliseconds: 20), work: doubler.run)
        defer { batcher.shutdown() }
        let results = try await withThrowingTaskGroup(of: (Int, [Int]).self) { group in
            for i in 0..<32 { group.addTask { (i, try await batcher.submit([i], lengths: [5]).0) } }
            var out: [Int: [Int]] = [:]
            for try await (i, r) in group { out[i] = r }
            return out
        }
        for i in 0..<32 { #expect(results[i] == [2 * i]) }
        #expect(batcher.forwardPasses < 32)
        #expect(batcher.forwardPasses == doubler.calls.count)
        #expect(doubler.calls.map(\.count).max()! > 1)
    }

    @Test func tokenBudgetAndLengthGrouping() async throws {
        let doubler = Doubler()
        // 4 inputs of 10 tokens fit 40; a 30-token input goes with its own kind.
        let batcher = Batcher<Int, Int>(name: "t", options: BatchingOptions(maxBatchTokens: 60, maxWaitMilliseconds: 50), work: doubler.run)
        defer { batcher.shutdown() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<4 { group.addTask { _ = try await batcher.submit([i], lengths: [10]) } }
            for i in 10..<12 { group.addTask { _ = try await batcher.submit([i], lengths: [30]) } }
            try await group.waitForAll()
        }
        for call in doubler.calls {
            let longest = call.map { $0 >= 10 ? 30 : 10 }.max()!
            #expect(longest * call.count <= 60, "batch \(call) over the token budget")
        }
        #expect(doubler.calls.flatMap { $0 }.sorted() == [0, 1, 2, 3, 10, 11])
    }

    @Test func fullQueueIsRefusedAndLateWorkDropped() async throws {
        let gate = DispatchSemaphore(value: 0)
        let ran = Doubler()
        let batcher = Batcher<Int, Int>(
            name: "t", options: BatchingOptions(maxBatchInputs: 1, maxWaitMilliseconds: 0, queueCapacity: 2, timeoutSeconds: 0.1)
        ) { inputs in
            gate.wait()
            return ran.run(inputs)
        }
        defer { batcher.shutdown() }
        func wait(until condition: () -> Bool) async throws {
            for _ in 0..<500 where !condition() { try await Task.sleep(nanoseconds: 2_000_000) }
            #expect(condition())
        }
        let first = Task { try await batcher.submit([0], lengths: [1]) }
        try await wait { batcher.forwardPasses == 1 }  // running, blocked on the gate
        let queued = (1...2).map { i in Task { try await batcher.submit([i], lengths: [1]) } }
        try await wait { batcher.queueDepth == 2 }
        await #expect(throws: BatcherError.queueFull(capacity: 2, retryAfterSeconds: 1)) {
            _ = try await batcher.submit([3], lengths: [1])
        }
        try await Task.sleep(nanoseconds: 200_000_000)  // past the queued requests' deadline
        for _ in 0..<3 { gate.signal() }
        #expect(try await first.value.0 == [0])
        for task in queued {
            do {
                _ = try await task.value
                Issue.record("a request past its deadline ran")
            } catch let error as BatcherError {
                guard case .deadlineExceeded(let seconds) = error else { throw error }
                #expect(seconds >= 0.1)
            }
        }
        // Dropped work never ran.
        #expect(ran.calls == [[0]])
    }

    @Test func shutdownFinishesQueuedWork() async throws {
        let doubler = Doubler(delay: 0.05)
        let batcher = Batcher<Int, Int>(name: "t", options: BatchingOptions(maxBatchInputs: 1), work: doubler.run)
        async let a = batcher.submit([1], lengths: [1])
        async let b = batcher.submit([2], lengths: [1])
        try await Task.sleep(nanoseconds: 10_000_000)
        batcher.shutdown()
        #expect(try await a.0 == [2])
        #expect(try await b.0 == [4])
        await #expect(throws: BatcherError.stopped) { _ = try await batcher.submit([3], lengths: [1]) }
    }

    /// Records every queue depth reported; optionally slow on the first report of a non-empty
    /// queue, which is how a thread that is descheduled between a depth change and its report looks.
    final class DepthRecorder: BatcherObserver, @unchecked Sendable {
        let lock = NSLock()
        var depths: [Int] = []
        var slowFirstNonEmpty: Bool
        init(slowFirstNonEmpty: Bool = false) { self.slowFirstNonEmpty = slowFirstNonEmpty }
        func queueDepthChanged(model: String, depth: Int) {
            let slow = lock.withLock {
                defer { if depth > 0 { slowFirstNonEmpty = false } }
                return depth > 0 && slowFirstNonEmpty
            }
            if slow { Thread.sleep(forTimeInterval: 0.1) }
            lock.withLock { depths.append(depth) }
        }
        func batchRan(model: String, inputs: Int, paddedTokens: Int, seconds: Double) {}
        func modelLoaded(model: String, seconds: Double) {}
        var last: Int? { lock.withLock { depths.last } }
    }

    /// Regression: the depth was reported after the lock was released, so the report "1 waiting"
    /// from `submit` could arrive after the worker's "0 waiting", leaving the gauge at 1 for good.
    @Test func lastDepthReportedIsZeroWhenIdleEvenWhenAReportIsSlow() async throws {
        let recorder = DepthRecorder(slowFirstNonEmpty: true)
        let batcher = Batcher<Int, Int>(
            name: "t", options: BatchingOptions(maxWaitMilliseconds: 0), observer: recorder, work: Doubler().run)
        defer { batcher.shutdown() }
        #expect(try await batcher.submit([1], lengths: [1]).0 == [2])
        #expect(batcher.queueDepth == 0)
        #expect(recorder.last == 0, "reported depths \(recorder.depths)")
        #expect(recorder.depths == [1, 0])
    }

    /// Every way out of the queue — a pass that succeeds, one that throws, a deadline, a full queue,
    /// a cancelled request — leaves the reported depth at 0 once the batcher is idle.
    @Test func reportedDepthReturnsToZeroOnEveryPath() async throws {
        struct Boom: Error {}
        let recorder = DepthRecorder()
        let gate = DispatchSemaphore(value: 0)
        let batcher = Batcher<Int, Int>(
            name: "t", options: BatchingOptions(maxBatchInputs: 1, maxWaitMilliseconds: 0, queueCapacity: 2, timeoutSeconds: 0.2),
            observer: recorder
        ) { inputs in
            if inputs == [-1] { gate.wait() }
            if inputs == [-2] { throw Boom() }
            return inputs
        }
        defer { batcher.shutdown() }
        func wait(until condition: () -> Bool) async throws {
            for _ in 0..<1000 where !condition() { try await Task.sleep(nanoseconds: 2_000_000) }
            #expect(condition())
        }
        #expect(try await batcher.submit([5], lengths: [1]).0 == [5])  // success
        await #expect(throws: Boom.self) { _ = try await batcher.submit([-2], lengths: [1]) }  // error
        #expect(recorder.last == 0)
        let blocked = Task { try await batcher.submit([-1], lengths: [1]) }
        try await wait { batcher.forwardPasses == 3 }  // the worker holds the gate
        let cancelled = Task { try await batcher.submit([7], lengths: [1]) }
        try await wait { batcher.queueDepth == 1 }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { _ = try await cancelled.value }  // cancellation
        #expect(batcher.queueDepth == 0)
        #expect(recorder.last == 0)
        let late = Task { try await batcher.submit([8], lengths: [1]) }
        let late2 = Task { try await batcher.submit([9], lengths: [1]) }
        try await wait { batcher.queueDepth == 2 }
        await #expect(throws: BatcherError.self) { _ = try await batcher.submit([10], lengths: [1]) }  // full queue
        #expect(recorder.last == 2)
        try await Task.sleep(nanoseconds: 300_000_000)  // past the deadline of 8 and 9
        gate.signal()
        #expect(try await blocked.value.0 == [-1])
        await #expect(throws: BatcherError.self) { _ = try await late.value }  // deadline
        await #expect(throws: BatcherError.self) { _ = try await late2.value }
        #expect(batcher.queueDepth == 0)
        #expect(recorder.last == 0, "reported depths \(recorder.depths)")
        #expect(batcher.forwardPasses == 3, "work past its deadline or cancelled never runs")
    }
}
