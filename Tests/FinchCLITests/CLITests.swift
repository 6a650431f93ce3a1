import Foundation
import Testing

/// Runs the built `finch` binary (the test target depends on it, so it is built).
enum CLI {
    static var binary: URL {
        // The test bundle sits in the build products directory next to `finch`.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("finch").path) && dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("finch")
    }

    /// The runs folder of every finch the tests start (unless a test gives its own): training runs
    /// are recorded there, never in the user's ~/.finch/runs.
    static let runsFolder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "finch-cli-runs-\(ProcessInfo.processInfo.processIdentifier)"
    ).path

    /// This process's environment with `FINCH_RUNS_DIR` set to `runsFolder`, then `extra` added.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(["FINCH_RUNS_DIR": runsFolder]) { $1 }.merging(extra) { $1 }
    }

    /// Runs finch with `arguments` and `stdin`; returns (status, stdout, stderr).
    /// `environment` entries are added to (or replace) this process's environment.
    static func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        p.environment = Self.environment(environment)
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        inPipe.fileHandleForWriting.write(Data(stdin.utf8))
        try inPipe.fileHandleForWriting.close()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    /// `run` on a thread of its own, for async tests. `run` blocks its thread until the child exits;
    /// on Swift's cooperative pool (as wide as the CPU count: 2 here) two such waits stop every
    /// in-process task — including a PostgreSQL transaction of another suite that holds the very
    /// lock the child is waiting for, which deadlocked the whole test run. Async tests use this.
    static func runAsync(_ arguments: [String], stdin: String = "", environment: [String: String] = [:]) async throws -> (
        Int32, String, String
    ) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try run(arguments, stdin: stdin, environment: environment) })
            }
        }
    }
}

@Suite struct CLITests {
    @Test func versionAndHelp() throws {
        let (status, out, _) = try CLI.run(["--version"])
        #expect(status == 0)
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines).range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression) != nil)
        let (hs, help, _) = try CLI.run(["--help"])
        #expect(hs == 0)
        #expect(help.contains("USAGE: finch <subcommand>"))
        #expect(help.contains("demo"))
    }

    @Test func demoLossFalls() throws {
        let (status, out, _) = try CLI.run(["demo", "--epochs", "40"])
        #expect(status == 0)
        let summary = try #require(out.split(separator: "\n").last)
        // "loss A → B, accuracy C %"
        let numbers = summary.split(whereSeparator: { " ,→%".contains($0) }).compactMap { Double($0) }
        #expect(numbers.count == 3)
        #expect(numbers[1] < numbers[0] / 4, "loss should fall: \(summary)")
        #expect(numbers[2] > 90)
    }

    @Test func badOptionIsAClearError() throws {
        let (status, _, err) = try CLI.run(["demo", "--epochs", "0"])
        #expect(status != 0)
        #expect(err.contains("--epochs must be between 1 and 100000"))
    }
}
