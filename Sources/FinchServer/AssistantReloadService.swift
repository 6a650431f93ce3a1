import FinchApps
import Foundation
import Logging
import ServiceLifecycle

/// Runs beside the HTTP server: every `interval` seconds it rebuilds the
/// assistant collections another instance changed (the store's assistant
/// change stamp moved), until graceful shutdown.
struct AssistantReloadService: Service {
    let assistant: AssistantService
    let interval: Double
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(nanoseconds: UInt64(interval * 1e9)) } catch { break }
                do { try await assistant.reloadIfChanged() } catch {
                    logger.warning("assistant reload failed", metadata: ["error": .string(String(describing: error))])
                }
            }
        }
    }
}
