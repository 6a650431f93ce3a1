import FinchApps
import Foundation
import Logging
import ServiceLifecycle

/// Runs beside the HTTP server: every `interval` seconds it reloads what
/// other instances wrote (collections; model activations); at graceful
/// shutdown — after the server has finished its requests in flight — it
/// stops the batchers and closes the store.
struct FinchLifecycleService: Service {
    let registry: ModelRegistry
    let collections: CollectionService
    /// Closed at shutdown when the app opened it (nil when the caller owns it).
    let ownedStore: (any ServiceStore)?
    let interval: Double
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(nanoseconds: UInt64(interval * 1e9)) } catch { break }
                do {
                    try await collections.reloadIfChanged()
                    for failure in try await registry.loadActiveVersions() {
                        logger.warning(
                            "model not loaded",
                            metadata: [
                                "model": .string(failure.record.name), "error": .string(String(describing: failure.error)),
                            ])
                    }
                } catch {
                    logger.warning("reload failed", metadata: ["error": .string(String(describing: error))])
                }
            }
        }
        registry.shutdown()
        do { try await ownedStore?.close() } catch {
            logger.error("closing the store failed", metadata: ["error": .string(String(describing: error))])
        }
        logger.info("stopped")
    }
}
