import FinchApps
import Metrics
import Prometheus
import Synchronization

/// The Prometheus registry behind swift-metrics (bootstrapped once per
/// process) and the batcher observer that feeds it.
public enum ServerMetrics {
    /// Every metric of this process.
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = Mutex(false)

    /// Makes swift-metrics write into `registry`; later calls do nothing.
    public static func bootstrap() {
        bootstrapped.withLock { done in
            guard !done else { return }
            var factory = PrometheusMetricsFactory(registry: registry)
            factory.defaultDurationHistogramBuckets = [
                .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
                .seconds(5), .seconds(10),
            ]
            factory.defaultValueHistogramBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
            MetricsSystem.bootstrap(factory)
            done = true
        }
    }

    /// The text exposition format.
    public static func render() -> String { registry.emitToString() }
}

/// Batch sizes, queue depth and inference time per model.
struct BatcherMetrics: BatcherObserver {
    func batchRan(model: String, inputs: Int, paddedTokens: Int, seconds: Double) {
        Recorder(label: "finch_batch_inputs", dimensions: [("model", model)], aggregate: true).record(inputs)
        Recorder(label: "finch_batch_padded_tokens", dimensions: [("model", model)], aggregate: true).record(paddedTokens)
        Timer(label: "finch_inference_duration_seconds", dimensions: [("model", model)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    func modelLoaded(model: String, seconds: Double) {
        Timer(label: "finch_model_load_duration_seconds", dimensions: [("model", model)], preferredDisplayUnit: .seconds)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    func queueDepthChanged(model: String, depth: Int) {
        Gauge(label: "finch_queue_depth", dimensions: [("model", model)]).record(depth)
    }
}
