import FinchApps
import Foundation
import Logging
import ServiceLifecycle

/// Runs beside the HTTP server when several instances share one PostgreSQL: every `interval`
/// seconds it brings this instance's recommender serving state up to what the others wrote — the
/// events they acknowledged (`RecommendService.catchUp`), and the users they erased (a new erasure
/// tombstone rebuilds the state, which drops every erased user). Model activations, collections,
/// assistant collections and API keys are reloaded by their own loops (`FinchLifecycleService`,
/// `AssistantReloadService`, `KeyCache`); the README's "Several instances behind nginx" lists what
/// stays per instance.
struct InstanceSyncService: Service {
    let recommend: RecommendService?
    let privacy: any PrivacyRepository
    let interval: Double
    let logger: Logger

    func run() async throws {
        guard let recommend else {
            // Nothing to sync; a service that returns would stop the whole group, so wait for shutdown.
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            var tombstones = -1
            while !Task.isCancelled {
                do { try await Task.sleep(nanoseconds: UInt64(interval * 1e9)) } catch { break }
                do {
                    let erased = try await privacy.tombstoneHashes().count
                    if tombstones >= 0, erased != tombstones, recommend.servedVersion != nil {
                        try await recommend.load()
                        logger.info("recommender rebuilt after an erasure", metadata: ["tombstones": .stringConvertible(erased)])
                    }
                    tombstones = erased
                    try await recommend.catchUp()
                } catch {
                    logger.warning("instance sync failed", metadata: ["error": .string(String(describing: error))])
                }
            }
        }
    }
}
