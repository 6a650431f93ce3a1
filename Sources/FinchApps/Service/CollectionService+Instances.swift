import Foundation

/// Several instances on one store: a collection created through another instance is read from the
/// store the first time a request names it here, instead of answering 404 until the next periodic
/// reload (a PUT through one instance followed by a POST of entries through another, as a load
/// balancer spreads them). Entries added elsewhere to a collection this instance already has arrive
/// with the periodic `reloadIfChanged()`.
extension CollectionService {
    /// Reloads from the store when `name` is not a collection this instance holds (and the store's
    /// change stamp moved); a name unknown to the store too stays unknown.
    public func reloadIfUnknown(_ name: String) async throws {
        do { _ = try collection(named: name) } catch { try await reloadIfChanged() }
    }
}
