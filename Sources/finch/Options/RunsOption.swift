import ArgumentParser
import FinchServer
import FinchTrain
import Foundation

/// `--runs DIR|URL`: where every training run is recorded: a runs folder
/// (its `runs.sqlite`), or `postgres://…`, the service's PostgreSQL database,
/// shared by its instances (so a run started by hand shows on every
/// instance's dashboard). Default: `$FINCH_RUNS_DIR` (a folder or a URL),
/// else `~/.finch/runs`.
///
/// One option for both rather than a second `--runs-database-url`: `--runs`
/// already says where runs go on every training command (train, retrain,
/// distill, tune) through one code path, a URL cannot be mistaken for a
/// folder, and `finch retrain` already has a `--database-url` for the
/// service's store that means something else.
struct RunsOption: ParsableArguments {
    @Option(
        name: .customLong("runs"),
        help: ArgumentHelp(
            "Runs folder (its runs.sqlite records each training run) or postgres://… (the service's database) "
                + "(default: $FINCH_RUNS_DIR or ~/.finch/runs).", valueName: "dir|url"))
    var runs: String?

    init() {}

    /// The folder, and whether the user chose it (flag or variable) rather than the default.
    var folder: (url: URL, chosen: Bool) { Self.folder(flag: runs) }

    /// The value `--runs` or `$FINCH_RUNS_DIR` gives, nil when neither does.
    static func chosen(flag runs: String?) -> String? {
        if let runs { return runs }
        if let dir = ProcessInfo.processInfo.environment[RunsFolder.environmentVariable], !dir.isEmpty { return dir }
        return nil
    }

    /// The folder `--runs` names (nil: not given), and whether the user chose it rather than the default.
    static func folder(flag runs: String?) -> (url: URL, chosen: Bool) {
        if let value = chosen(flag: runs) { return (URL(fileURLWithPath: value), true) }
        return (RunsFolder.defaultFolder(), false)
    }

    /// Where runs are, for messages: the folder's path or the database's URL without its password.
    static func location(flag runs: String?) -> String {
        if let value = chosen(flag: runs), PostgresRunStore.isDatabaseURL(value) { return RunsDatabases.redacted(value) }
        return folder(flag: runs).url.path
    }

    /// Opens the store (for `finch runs`: an error when it cannot be opened).
    func open() throws -> any RunStore { try Self.open(flag: runs) }

    /// The store `--runs` names: the database for a `postgres://` URL, else the folder's `runs.sqlite`. Blocks.
    static func open(flag runs: String?) throws -> any RunStore {
        if let value = chosen(flag: runs), PostgresRunStore.isDatabaseURL(value) { return try RunsDatabases.open(value) }
        return try SQLiteRunStore(folder: folder(flag: runs).url)
    }

    /// Records the start of a run: nil where it is not recorded (another rank than 0, or the default
    /// folder cannot be opened, which is said on stderr). A folder or database the user chose must open.
    func begin(_ start: () throws -> RunStart, root: Bool = true) throws -> RunRecorder? {
        try Self.begin(flag: runs, start, root: root)
    }

    /// `begin` for the store `--runs` names (nil: the default folder).
    static func begin(flag: String?, _ start: () throws -> RunStart, root: Bool = true) throws -> RunRecorder? {
        guard root else { return nil }
        let chosen = chosen(flag: flag) != nil
        let store: any RunStore
        do {
            store = try open(flag: flag)
        } catch  where !chosen {
            ProgressBar.write("note: this run is not recorded (\(ErrorMessage.render(error))); give --runs DIR\n")
            return nil
        }
        return try RunRecorder(store: store, start: try start())
    }
}

/// `finch runs`' store: `--runs DIR|URL`, or `--database-url URL` (the service's PostgreSQL
/// database, as `finch serve --database-url` and `finch keys --database-url` name it).
struct RunsSourceOption: ParsableArguments {
    @OptionGroup var runs: RunsOption
    @Option(
        name: .customLong("database-url"),
        help: ArgumentHelp(
            "postgres://user:password@host:port/database: the runs the service on that database records (instead of --runs).",
            valueName: "url"))
    var databaseURL: String?

    init() {}

    func validate() throws {
        if databaseURL != nil && runs.runs != nil { throw ValidationError("give --runs or --database-url, not both") }
        if let databaseURL, !PostgresRunStore.isDatabaseURL(databaseURL) {
            throw ValidationError("--database-url must be a postgres:// or postgresql:// URL")
        }
    }

    /// Opens the store. Blocks (the `finch runs` commands run on the main thread).
    func open() throws -> any RunStore {
        if let databaseURL { return try RunsDatabases.open(databaseURL) }
        return try runs.open()
    }

    /// Where the runs are, for messages.
    var location: String { databaseURL.map(RunsDatabases.redacted) ?? RunsOption.location(flag: runs.runs) }
}

/// The PostgreSQL run stores this process opened, one per URL: a `finch tune` begins a run per
/// trial, and each would otherwise connect (and check the migrations) again.
enum RunsDatabases {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var opened: [String: PostgresRunStore] = [:]

    static func open(_ url: String) throws -> PostgresRunStore {
        try lock.withLock {
            if let store = opened[url] { return store }
            let store = try PostgresRunStore(url: url)
            opened[url] = store
            return store
        }
    }

    /// `url` without its password.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(unreadable URL)" }
        if components.password != nil { components.password = "***" }
        return components.string ?? "(unreadable URL)"
    }
}
