import Foundation

/// Where runs are recorded by default: `~/.finch/runs`.
public enum RunsFolder {
    /// The variable that names another runs folder (`finch train`, `finch serve`'s `runs_dir`).
    public static let environmentVariable = "FINCH_RUNS_DIR"

    /// `~/.finch/runs`, `~` being `$HOME` as in a shell (else the account's home directory).
    public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let home =
            environment["HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".finch").appendingPathComponent("runs")
    }
}
