import FinchApps
import Foundation
import Logging
import ServiceLifecycle

/// Runs beside the HTTP server when `recommend_retrain_every` is set: every
/// `interval` seconds it starts a retrain job of the recommender (the same
/// job as `POST /v1/models/{name}/retrain`, guarded the same way, listed by
/// `GET /v1/jobs` with actor `schedule`) and waits for it before the next
/// period starts. A retrain already running (started by hand) is left alone
/// and the period skipped. Stops at graceful shutdown.
struct RecommendRetrainSchedule: Service {
    let jobs: RetrainJobs
    let model: String
    let interval: Double
    let logger: Logger

    /// The actor recorded on scheduled jobs and in the audit log.
    static let actor = "schedule"

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(nanoseconds: UInt64(interval * 1e9)) } catch { break }
                await retrainOnce()
            }
        }
    }

    /// Starts one retrain job and waits for it; failures are logged, never thrown (the schedule goes on).
    func retrainOnce() async {
        let job: JobRecord
        do { job = try jobs.start(model: model, actor: Self.actor) } catch {
            logger.warning(
                "scheduled retrain not started", metadata: ["model": .string(model), "error": .string(String(describing: error))])
            return
        }
        logger.info("scheduled retrain started", metadata: ["model": .string(model), "job": .string(job.id)])
        guard let done = await jobs.wait(id: job.id) else { return }
        var metadata: Logger.Metadata = ["model": .string(model), "job": .string(job.id), "state": .string(done.state.rawValue)]
        if let outcome = done.outcome {
            metadata["activated"] = .stringConvertible(outcome.activated)
            metadata["reason"] = .string(outcome.reason)
        }
        if let error = done.error { metadata["error"] = .string(error) }
        logger.info("scheduled retrain finished", metadata: metadata)
    }
}
