import ArgumentParser
import FinchServer
import FinchTrain
import Foundation

/// `--runs DIR`: the runs folder whose `runs.sqlite` records every training
/// run. Default: `$FINCH_RUNS_DIR`, else `~/.finch/runs`.
struct RunsOption: ParsableArguments {
    @Option(
        name: .customLong("runs"),
        help: ArgumentHelp(
            "Runs folder: runs.sqlite records each training run (default: $FINCH_RUNS_DIR or ~/.finch/runs).", valueName: "dir"))
    var runs: String?

    init() {}

    /// The folder, and whether the user chose it (flag or variable) rather than the default.
    var folder: (url: URL, chosen: Bool) { Self.folder(flag: runs) }

    /// The folder `--runs` names (nil: not given), and whether the user chose it rather than the default.
    static func folder(flag runs: String?) -> (url: URL, chosen: Bool) {
        if let runs { return (URL(fileURLWithPath: runs), true) }
        if let dir = ProcessInfo.processInfo.environment[RunsFolder.environmentVariable], !dir.isEmpty {
            return (URL(fileURLWithPath: dir), true)
        }
        return (RunsFolder.defaultFolder(), false)
    }

    /// Opens the store (for `finch runs`: an error when it cannot be opened).
    func open() throws -> SQLiteRunStore { try SQLiteRunStore(folder: folder.url) }

    /// Records the start of a run: nil where it is not recorded (another rank than 0, or the default
    /// folder cannot be opened, which is said on stderr). A folder the user chose must open.
    func begin(_ start: () throws -> RunStart, root: Bool = true) throws -> RunRecorder? {
        try Self.begin(flag: runs, start, root: root)
    }

    /// `begin` for the folder `--runs` names (nil: the default folder).
    static func begin(flag: String?, _ start: () throws -> RunStart, root: Bool = true) throws -> RunRecorder? {
        guard root else { return nil }
        let (url, chosen) = folder(flag: flag)
        let store: SQLiteRunStore
        do {
            store = try SQLiteRunStore(folder: url)
        } catch  where !chosen {
            ProgressBar.write("note: this run is not recorded (\(ErrorMessage.render(error))); give --runs DIR\n")
            return nil
        }
        return try RunRecorder(store: store, start: try start())
    }
}
