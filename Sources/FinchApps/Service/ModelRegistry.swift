import Foundation
import Synchronization

/// Why the registry could not serve a request.
public enum RegistryError: Error, Equatable, CustomStringConvertible {
    /// No model of this name is registered (or none of its versions is active).
    case unknownModel(name: String)
    /// The model exists but has no such version.
    case unknownVersion(name: String, version: Int)
    /// The model cannot do what was asked (`expected` says what can).
    case wrongKind(name: String, kind: ModelKind, expected: String)
    /// A name with characters outside [A-Za-z0-9._-] or longer than 64.
    case invalidName(String)

    public var description: String {
        switch self {
        case .unknownModel(let name): "no model named \"\(name)\""
        case .unknownVersion(let name, let version): "model \"\(name)\" has no version \(version)"
        case .wrongKind(let name, let kind, let expected): "model \"\(name)\" is a \(kind.rawValue), not \(expected)"
        case .invalidName(let name): "model name \"\(name)\" must be 1–64 characters of A-Z a-z 0-9 . _ -"
        }
    }
}

/// Named, versioned models: which versions exist (in the store) and which one
/// of each name is loaded and active. Activating a version loads it first and
/// then swaps it in at once; requests that already hold the previous version
/// finish on it, and its batcher stops once its queue is empty.
public final class ModelRegistry: Sendable {
    private let store: any ModelVersionRepository
    private let options: BatchingOptions
    private let observer: (any BatcherObserver)?
    private let active = Mutex<[String: ServedModel]>([:])
    /// `name@version` of active versions that failed to load.
    private let failed = Mutex<Set<String>>([])
    /// Serializes registrations and swaps (loading is slow; requests never wait on this).
    private let changes = AsyncLock()
    /// Told of every swap that replaces an active version (`onVersionSwap`).
    private let swapObservers = Mutex<[@Sendable (ServedModel) -> Void]>([])

    public init(store: any ModelVersionRepository, options: BatchingOptions, observer: (any BatcherObserver)? = nil) {
        self.store = store
        self.options = options
        self.observer = observer
    }

    /// The active version of `name`.
    public func model(named name: String) throws(RegistryError) -> ServedModel {
        guard let model = active.withLock({ $0[name] }) else { throw .unknownModel(name: name) }
        return model
    }

    /// Every active model, by name.
    public var activeModels: [ServedModel] { active.withLock { $0.values.sorted { $0.name < $1.name } } }

    /// Loads the active version of every model in the store (at start, and to
    /// pick up activations made by another instance). A version that does not
    /// load (its folder is missing on this machine, say) is skipped, reported
    /// in the result once, and not tried again; the others are served.
    @discardableResult
    public func loadActiveVersions() async throws -> [(record: ModelVersionRecord, error: any Error)] {
        try await changes.run {
            var failures: [(record: ModelVersionRecord, error: any Error)] = []
            let records = try await store.allVersions().filter(\.active)
            for record in records {
                if let current = active.withLock({ $0[record.name] }), current.version == record.version { continue }
                let key = "\(record.name)@\(record.version)"
                if failed.withLock({ $0.contains(key) }) { continue }
                do {
                    swapIn(try ServedModel(record: record, options: options, observer: observer))
                } catch {
                    failed.withLock { _ = $0.insert(key) }
                    failures.append((record, error))
                }
            }
            return failures
        }
    }

    /// Registers `path` as the next version of `name` (kind read from the
    /// folder, loaded before anything is stored) and makes it active unless
    /// `activate` is false.
    public func register(name: String, path: String, activate: Bool = true) async throws -> ModelVersionRecord {
        guard Self.isValidName(name) else { throw RegistryError.invalidName(name) }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let kind = try ModelKind.detect(folder: url)
        return try await changes.run {
            // Load first so a broken folder is never recorded.
            let probe = ModelVersionRecord(name: name, version: 0, kind: kind, path: url.path, active: activate, createdAt: Date())
            let loaded = try ServedModel(record: probe, options: options, observer: observer)
            let record = try await store.addVersion(name: name, kind: kind, path: url.path, activate: activate, at: Date())
            if activate { swapIn(ServedModel(loaded, record: record)) } else { loaded.retire() }
            return record
        }
    }

    /// Makes `version` of `name` the active one: loads it, then swaps.
    public func activate(name: String, version: Int) async throws -> ModelVersionRecord {
        try await changes.run {
            guard let record = try await store.allVersions().first(where: { $0.name == name && $0.version == version }) else {
                if try await store.allVersions().contains(where: { $0.name == name }) {
                    throw RegistryError.unknownVersion(name: name, version: version)
                }
                throw RegistryError.unknownModel(name: name)
            }
            var activated = record
            activated.active = true
            let loaded = try ServedModel(record: activated, options: options, observer: observer)
            _ = try await store.activate(name: name, version: version)
            swapIn(loaded)
            return activated
        }
    }

    /// Every registered version with whether it is active.
    public func versions() async throws -> [ModelVersionRecord] { try await store.allVersions() }

    /// Stops every batcher (after their queues).
    public func shutdown() {
        let all = active.withLock { models in
            defer { models.removeAll() }
            return Array(models.values)
        }
        for model in all { model.retire() }
    }

    /// Seconds a replaced version keeps taking requests after a swap: a request
    /// that looked the model up just before the swap still reaches its batcher
    /// (retiring at once answered it 503 "the model was unloaded").
    public static let retireGraceSeconds = 2.0

    /// Calls `observer` with the new version each time one replaces another active version of its
    /// model (a registration, an activation, an activation made by another instance and picked up
    /// by `loadActiveVersions`); not for the first version of a model loaded. Called after the swap,
    /// on the caller's task: an observer with slow work starts its own task.
    public func onVersionSwap(_ observer: @escaping @Sendable (ServedModel) -> Void) {
        swapObservers.withLock { $0.append(observer) }
    }

    private func swapIn(_ model: ServedModel) {
        observer?.modelLoaded(model: model.name, seconds: model.loadSeconds)
        let previous = active.withLock { $0.updateValue(model, forKey: model.name) }
        if let previous {
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.retireGraceSeconds) { previous.retire() }
            if previous.version != model.version || previous.record.path != model.record.path {
                for notify in swapObservers.withLock({ $0 }) { notify(model) }
            }
        }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
            }
    }
}

/// A mutual exclusion for async code: one `run` body at a time, in arrival order.
final class AsyncLock: Sendable {
    private let state = Mutex<(busy: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { s -> Bool in
                if s.busy {
                    s.waiters.append(c)
                    return false
                }
                s.busy = true
                return true
            }
            if resumeNow { c.resume() }
        }
    }

    private func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty {
                s.busy = false
                return nil
            }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}
