import ArgumentParser
import FinchTrain
import Foundation

/// `finch runs`: the training runs recorded in the run store.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, show and compare recorded training runs.",
        discussion: """
            finch train classify|ner|image, finch retrain and finch tune (a tune run, and a tune-trial run \
            per trial) record every run in runs.sqlite in the runs \
            folder (--runs DIR, else $FINCH_RUNS_DIR, else ~/.finch/runs), or in the service's PostgreSQL \
            database (--runs postgres://…; read it here with --database-url URL, as the service on that \
            database does): its parameters and command line, \
            the SHA-256 of its data, each step's loss and learning rate and each evaluation's metrics as they \
            happen, its artefacts, duration and status (running, finished, failed, interrupted; pruned: a tune \
            trial stopped early). A run whose \
            process ended without saying how (killed, crashed) is marked failed here, with everything it \
            recorded up to then; in a shared database, only the runs started on this host are checked.
            """,
        subcommands: [RunsList.self, RunsShow.self, RunsCompare.self])
}

struct RunsList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "One line per run, newest first: id, kind, model, status, start, duration, best metric.")

    @OptionGroup var runs: RunsSourceOption
    @OptionGroup var output: JSONOutputOption

    func run() throws {
        let all = try runs.open().runsMarkingLost()
        if output.json {
            for r in all { try StandardOutput.line(try RunsJSON.encode(r)) }
        } else if all.isEmpty {
            try StandardOutput.line("no runs recorded in \(runs.location)")
        } else {
            try StandardOutput.write(RunTables.list(all))
        }
    }
}

struct RunsShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "A run's parameters, data hashes, artefacts, status and final metrics.")

    @Argument(help: "The run's id (as finch runs list shows it).") var id: Int
    @OptionGroup var runs: RunsSourceOption
    @OptionGroup var output: JSONOutputOption

    func run() throws {
        guard let found = try runs.open().runMarkingLost(id: id) else { throw RunStoreError.unknownRun(String(id)) }
        if output.json {
            try StandardOutput.line(try RunsJSON.encode(found))
        } else {
            try StandardOutput.write(RunTables.show(found))
        }
    }
}

struct RunsCompare: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Runs side by side (parameters, results, a metric over the steps), and an SVG of that metric's curves.")

    @Argument(help: "Two or more run ids.") var ids: [Int]
    @Option(help: "The metric over steps: loss, lr, grad_norm, or eval_<metric> (eval_accuracy, eval_loss, eval_f1).")
    var metric = "loss"
    @Option(help: "Also write the curves of --metric, one line per run, to this SVG file.") var svg: String?
    @OptionGroup var runs: RunsSourceOption

    func validate() throws {
        guard ids.count >= 2 else { throw ValidationError("give at least two run ids to compare") }
    }

    func run() throws {
        let store = try runs.open()
        var compared: [(run: RecordedRun, points: [RunMetricPoint])] = []
        for id in ids {
            guard let r = try store.runMarkingLost(id: id) else { throw RunStoreError.unknownRun(String(id)) }
            compared.append((r, try store.points(run: id)))
        }
        guard compared.contains(where: { c in c.points.contains { $0.name == metric } }) else {
            let known = Set(compared.flatMap { $0.points.map(\.name) }).sorted()
            throw ValidationError(
                "--metric \(metric) was not recorded by these runs; they recorded: "
                    + (known.isEmpty ? "nothing" : known.joined(separator: ", ")))
        }
        try StandardOutput.write(RunTables.compare(compared, metric: metric))
        if let svg {
            try RunTables.curves(compared, metric: metric).write(to: URL(fileURLWithPath: svg))
            try StandardOutput.line("\ncurves of \(metric) written to \(svg)")
        }
    }
}

/// Runs as JSON lines: snake-case keys, ISO 8601 times.
enum RunsJSON {
    static func encode(_ run: RecordedRun) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return String(decoding: try e.encode(run), as: UTF8.self)
    }
}
