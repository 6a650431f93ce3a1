import ArgumentParser
import Foundation
import Testing

@testable import finch

/// Every command's `--help`, exactly. The command tree is walked from
/// `Finch.configuration`, so a new command gets a snapshot test without a
/// line here. Snapshots live in `Tests/Fixtures/cli-help/` (one file per
/// command, `finch-recommend-top.txt`); regenerate them after a deliberate
/// change with `FINCH_UPDATE_SNAPSHOTS=1 swift test --filter HelpSnapshotTests`,
/// which writes the files and fails, so it is never left on, then review the diff.
@Suite struct HelpSnapshotTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cli-help")

    /// Help is wrapped at this width, whatever terminal runs the tests.
    static let columns = "100"

    /// Every command path below `finch`, `finch` itself first.
    static let commandPaths: [[String]] = {
        var paths: [[String]] = []
        func walk(_ command: any ParsableCommand.Type, _ path: [String]) {
            paths.append(path)
            for sub in command.configuration.subcommands { walk(sub, path + [name(of: sub)]) }
        }
        walk(Finch.self, [])
        return paths
    }()

    /// The name a command is called by: its configured name, else its type
    /// name in lower case with dashes (ArgumentParser's rule).
    static func name(of command: any ParsableCommand.Type) -> String {
        if let name = command.configuration.commandName { return name }
        var out = ""
        for (i, c) in String(describing: command).enumerated() {
            if c.isUppercase && i > 0 { out += "-" }
            out += c.lowercased()
        }
        return out
    }

    static func snapshotURL(_ path: [String]) -> URL {
        directory.appendingPathComponent((["finch"] + path).joined(separator: "-") + ".txt")
    }

    @Test(arguments: commandPaths)
    func helpMatchesTheSnapshot(_ path: [String]) throws {
        let (status, help, err) = try CLI.run(path + ["--help"], environment: ["COLUMNS": Self.columns])
        #expect(status == 0, "\(err)")
        let file = Self.snapshotURL(path)
        if ProcessInfo.processInfo.environment["FINCH_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            try Data(help.utf8).write(to: file, options: .atomic)
            Issue.record("wrote \(file.lastPathComponent); run again without FINCH_UPDATE_SNAPSHOTS=1")
            return
        }
        let expected = try #require(
            try? String(contentsOf: file, encoding: .utf8),
            "no snapshot \(file.path); run with FINCH_UPDATE_SNAPSHOTS=1 and review it")
        #expect(help == expected, "finch \(path.joined(separator: " ")) --help changed; regenerate and review the snapshot")
    }

    @Test func everySnapshotBelongsToACommand() throws {
        let expected = Set(Self.commandPaths.map { Self.snapshotURL($0).lastPathComponent })
        let present = Set(try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".txt") })
        #expect(present.subtracting(expected).isEmpty, "stale snapshots: \(present.subtracting(expected).sorted())")
        #expect(Self.commandPaths.count >= 15)
    }
}
