import FinchSupport
import FinchTestSupport
import Foundation

@testable import FinchTrain

/// Temporary files for reader tests: each test gets its own directory.
struct TestFiles {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("finch-train-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` in the test's directory.
    func write(_ name: String, bytes: [UInt8]) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Writes `text` as UTF-8 to `name`.
    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, bytes: Array(text.utf8))
    }

    func remove() {
        do { try FileManager.default.removeItem(at: directory) } catch {}  // best effort clean-up of /tmp
    }
}

/// `Tests/Fixtures/data/<name>`.
func dataFixture(_ name: String) -> URL { TestSupport.fixtureURL("data/\(name)") }

/// The message of the `DataError` that `body` throws, or a description of
/// what happened instead.
func dataErrorMessage(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "no error"
    } catch let error as DataError {
        return error.description
    } catch {
        return "other error: \(error)"
    }
}

/// The `DataError` that `body` throws, if it throws one.
func dataError(_ body: () throws -> Void) -> DataError? {
    do {
        try body()
        return nil
    } catch let error as DataError {
        return error
    } catch {
        return nil
    }
}
