import Dispatch
import FinchTransformers
import Foundation

/// `--model` values: a local directory, or `hf:ORG/NAME[@revision]`, which is
/// downloaded once into the cache (FINCH_CACHE, default ~/.cache/finch/hub),
/// checked against the hub's sizes and checksums, and then used offline.
enum ModelLocation {
    static func resolve(_ value: String) throws -> URL {
        let reference = try ModelReference(parsing: value)
        if case .directory = reference {
            return try blocking { try await reference.resolve() }
        }
        ProgressBar.write("resolving \(value)\n")
        return try blocking {
            try await reference.resolve { event in
                switch event {
                case .usingCachedSnapshot(let commit): ProgressBar.write("using the cached snapshot \(commit.prefix(12))\n")
                case let .downloading(file, size): ProgressBar.write("downloading \(file) (\(size) bytes)\n")
                case .verified(let file): ProgressBar.write("verified \(file)\n")
                case .received: break
                }
            }
        }
    }

    /// Runs async work from a synchronous command and waits for it.
    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
