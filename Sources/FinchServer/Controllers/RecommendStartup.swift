import FinchApps
import Foundation
import Logging

/// Builds the recommendation service the configuration asks for and loads
/// its serving state (nil without `recommend_model`). A recommender that is
/// not active yet is logged and loaded by the first request after it is.
func startRecommendService(
    _ configuration: ServerConfiguration, store: any ServiceStore, registry: ModelRegistry, storedText: StoredTextRedaction,
    consent: (any ConsentLookup)? = nil, erased: (any ErasureTombstones)? = nil, logger: Logger
) async throws -> RecommendService? {
    guard let settings = configuration.recommend.settings(dataDirectory: configuration.dataDirectory) else { return nil }
    let service = RecommendService(
        settings: settings, repository: store.recommendEvents, registry: registry, consent: consent, erased: erased,
        storedText: storedText)
    do {
        let report = try await service.load()
        logger.info(
            "recommender served",
            metadata: [
                "model": .string(settings.model), "version": .stringConvertible(report.version),
                "folded_events": .stringConvertible(report.foldedEvents), "skipped_events": .stringConvertible(report.skippedEvents),
            ])
    } catch let error as RecommendServiceError {
        logger.warning("recommender not served yet", metadata: ["model": .string(settings.model), "error": .string(error.description)])
    }
    return service
}
