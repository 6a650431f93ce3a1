import Foundation
import Logging
import ServiceLifecycle

/// Runs beside the HTTP server: every `options.tickSeconds` it asks the monitor
/// service to evaluate the buckets that ended at least `graceSeconds` ago
/// (by `options.clock`), so an alert is raised within grace + tick (+ the
/// evaluation) of its bucket's end. At graceful shutdown it stops the
/// webhook workers and ends the SSE streams.
struct MonitorBucketCloser: Service {
    let monitors: MonitorHost
    let options: MonitorOptions

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await monitors.closeDueBuckets(now: options.clock(), grace: options.graceSeconds)
                do { try await Task.sleep(nanoseconds: UInt64(options.tickSeconds * 1e9)) } catch { break }
            }
        }
        monitors.shutdown()
    }
}
