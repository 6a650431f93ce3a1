/// How a model's batcher groups requests (TEI's `max-batch-tokens`,
/// `max-concurrent-requests` and a max wait, as one struct).
public struct BatchingOptions: Sendable, Equatable {
    /// Padded tokens (longest input × inputs) one forward pass may hold.
    public var maxBatchTokens: Int
    /// Inputs one forward pass may hold.
    public var maxBatchInputs: Int
    /// How long the oldest queued request waits for others to join its batch, in milliseconds.
    public var maxWaitMilliseconds: Double
    /// Inputs that may wait; more are refused (503).
    public var queueCapacity: Int
    /// Seconds a request may wait in the queue before it is dropped (504).
    public var timeoutSeconds: Double

    public init(
        maxBatchTokens: Int = 8192, maxBatchInputs: Int = 128, maxWaitMilliseconds: Double = 2,
        queueCapacity: Int = 2048, timeoutSeconds: Double = 30
    ) {
        self.maxBatchTokens = maxBatchTokens
        self.maxBatchInputs = maxBatchInputs
        self.maxWaitMilliseconds = maxWaitMilliseconds
        self.queueCapacity = queueCapacity
        self.timeoutSeconds = timeoutSeconds
    }
}

/// Why a batcher did not run a request.
public enum BatcherError: Error, Equatable, CustomStringConvertible {
    /// The queue holds `capacity` inputs already; retry after `retryAfterSeconds`.
    case queueFull(capacity: Int, retryAfterSeconds: Int)
    /// The request waited `seconds`, past its deadline; its work was dropped.
    case deadlineExceeded(seconds: Double)
    /// The model was unloaded and its batcher stopped.
    case stopped

    public var description: String {
        switch self {
        case .queueFull(let capacity, _): "the model's queue is full (\(capacity) inputs waiting)"
        case .deadlineExceeded(let seconds): "the request waited \(Int(seconds * 1000)) ms in the queue, past its deadline"
        case .stopped: "the model was unloaded"
        }
    }
}

/// Where a request's time went inside a batcher.
public struct BatchTiming: Sendable, Equatable {
    /// Seconds between enqueueing and the start of its forward pass.
    public var queueSeconds: Double
    /// Seconds of the forward pass that held it.
    public var inferenceSeconds: Double
    /// Inputs in that forward pass.
    public var batchInputs: Int
}

/// What a batcher reports, for metrics. `queueDepthChanged` is called with the
/// batcher's lock held, in the order the depth changed: it must be quick and
/// must not call back into the batcher.
public protocol BatcherObserver: Sendable {
    /// A forward pass ran `inputs` inputs (`paddedTokens` positions) in `seconds`.
    func batchRan(model: String, inputs: Int, paddedTokens: Int, seconds: Double)
    /// Inputs waiting now.
    func queueDepthChanged(model: String, depth: Int)
    /// A model version was loaded in `seconds`.
    func modelLoaded(model: String, seconds: Double)
}
