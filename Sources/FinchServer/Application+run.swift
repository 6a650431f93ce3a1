import Hummingbird
import ServiceLifecycle

/// Builds the app and runs it until SIGTERM or SIGINT: the server stops
/// accepting, finishes the requests in flight (for at most
/// `shutdownGraceSeconds`), then the batchers stop and the store closes.
public func runApplication(configuration: ServerConfiguration) async throws {
    let app = try await buildApplication(configuration: configuration)
    var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger)
    group.maximumGracefulShutdownDuration = .milliseconds(Int64(configuration.shutdownGraceSeconds * 1000))
    try await ServiceGroup(configuration: group).run()
}
