import ArgumentParser
import FinchSupport
import FinchTensor
import FinchTrain
import Foundation
import Synchronization

struct Tune: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Search fine-tuning settings: seeded random or TPE sampling, ASHA pruning, the best trial's model exported.",
        discussion: """
            Runs --trials fine-tuning runs of finch train classify|ner, each with settings drawn from the \
            --search specifications, and exports the trial with the best dev metric (accuracy for classify, \
            f1 for ner, or --metric; higher is better) to --out with its model card. Every trial is recorded \
            in the run store as a tune-trial run (parameter study: the study's run id), the study as a tune \
            run (finch runs list).
            """,
        subcommands: [TuneClassify.self, TuneNER.self])

    /// The help shared by both tasks: how to search, sample and prune.
    static let searchHelp = """
        --search NAME=SPEC, repeated, names a setting and its range: loguniform(a,b) (uniform in the \
        logarithm, a > 0), uniform(a,b), int(a,b) (whole numbers, both ends included) or a list a,b,c. \
        Settings: \(TunableSetting.allCases.map(\.rawValue).joined(separator: ", ")). The other \
        finch train options apply to every trial as given (a searched setting overrides its flag).

        --sampler random draws each setting independently, seeded by --seed and the trial number: the \
        same seed gives the same trials, one after another or --parallel K. --sampler tpe (a \
        tree-structured Parzen estimator, Optuna's defaults) draws at random until --startup-trials \
        trials have finished, then prefers settings like those of the best 10 % of the finished trials; \
        with --parallel it learns only from the trials finished when a trial starts, so its choices \
        then depend on timing.

        --pruner asha stops weak trials early: rungs are at --min-resource × --reduction-factor^k dev \
        evaluations (1, 3, 9, … by default); a trial reaching a rung goes on only when its dev metric is \
        among the top 1/η of the values recorded at that rung so far (η = --reduction-factor), and while \
        fewer than η trials have reached the rung it goes on. A trial stopped at its last evaluation has \
        trained to its end and counts as completed. Evaluate more often than once per run \
        (--eval-steps, or several --epochs) for it to have rungs to judge.

        --out receives the best trial's model folder as finch train writes it (without checkpoint/ and \
        best/), its README.md model card, and tune.json: the search's options and seconds, and every \
        trial's settings, status (completed, pruned, failed), best dev metric, evaluations and seconds. \
        Trials train in a hidden folder \
        beside --out; only the best one's model is kept. --out is replaced as a whole at the end: it \
        must be new, empty, or an earlier search's. A table of the trials goes to stdout (--json: \
        tune.json's content); a line per trial start, evaluation and end to stderr. Ctrl-C stops the \
        running trials and starts no new one; the best completed trial is still exported.
        """
}

struct TuneClassify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Search the settings of finch train classify.",
        discussion: Tune.searchHelp + """


            Example: 8 trials of one epoch on a sample, evaluating every 20 steps, weak trials pruned:

              finch tune classify --model minilm --train train.csv --dev dev.csv --epochs 1 --eval-steps 20 \\
                --search 'lr=loguniform(1e-5,2e-4)' --search 'batch-size=16,32' \\
                --search 'warmup-ratio=uniform(0,0.2)' --trials 8 --sampler tpe --pruner asha --out tuned
            """)

    @OptionGroup var options: FineTuningOptions
    @OptionGroup var classifier: ClassifierOptions
    @OptionGroup var runs: RunsOption
    @OptionGroup(title: "Search") var tune: TuneOptions

    func validate() throws {
        guard options.model != nil else { throw ValidationError("Missing expected argument '--model <model>'") }
        try classifier.check(metric: options.metric)
        try tune.validate(options)
    }

    func run() throws {
        var request = try options.request(defaultMetric: .accuracy)
        classifier.apply(to: &request)
        try tune.study(request: request, task: .classification, baseModel: options.model ?? "", runs: runs.runs) { r, stop, events in
            try FineTuning.classify(r, stop: stop, events: events)
        }
    }
}

struct TuneNER: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ner",
        abstract: "Search the settings of finch train ner.",
        discussion: Tune.searchHelp + """


            Example: 12 trials, each evaluated 6 times, the weak ones pruned:

              finch tune ner --model bert --train train.bio --dev dev.bio --epochs 3 --eval-steps 50 \\
                --search 'lr=loguniform(1e-5,1e-4)' --search 'epochs=int(2,4)' --trials 12 --pruner asha \\
                --out tagger
            """)

    @OptionGroup var options: FineTuningOptions
    @Option(
        name: .customLong("word-boundary"),
        help: "keep (Hugging Face's alignment) or drop (no ▁ piece per word); default: automatic.")
    var wordBoundary: WordBoundary?
    @OptionGroup var runs: RunsOption
    @OptionGroup(title: "Search") var tune: TuneOptions

    func validate() throws {
        try options.validateForTagger()
        try tune.validate(options)
    }

    func run() throws {
        var request = try options.request(defaultMetric: .f1)
        request.wordBoundary = wordBoundary
        try tune.study(request: request, task: .ner, baseModel: options.model ?? "", runs: runs.runs) { r, stop, events in
            try FineTuning.tag(r, stop: stop, events: events)
        }
    }
}

/// `--sampler`.
enum TuneSamplerKind: String, ExpressibleByArgument, CaseIterable, Sendable {
    case random, tpe
}

/// `--pruner`.
enum TunePrunerKind: String, ExpressibleByArgument, CaseIterable, Sendable {
    case none, asha
}

/// The search options of `finch tune classify|ner`.
struct TuneOptions: ParsableArguments {
    @Option(
        name: .customLong("search"),
        help: ArgumentHelp(
            "A setting and its range: loguniform(a,b), uniform(a,b), int(a,b) or a list a,b,c (repeat per setting).",
            valueName: "name=spec"))
    var search: [String] = []
    @Option(help: "Trials to run.") var trials = 10
    @Option(help: "How trials' settings are chosen: random or tpe (tree-structured Parzen estimator).") var sampler: TuneSamplerKind =
        .tpe
    @Option(
        name: .customLong("startup-trials"),
        help: "With --sampler tpe: finished trials drawn at random before the estimator takes over (default: min(10, half of --trials)).")
    var startupTrials: Int?
    @Option(help: "asha stops weak trials early on the dev metric; none trains every trial to its end.") var pruner: TunePrunerKind =
        .none
    @Option(name: .customLong("min-resource"), help: "With --pruner asha: dev evaluations before the first rung.") var minResource = 1
    @Option(name: .customLong("reduction-factor"), help: "With --pruner asha: η; the top 1/η at a rung go on.") var reductionFactor = 3
    @Option(help: "Trials trained at once; the threads (FINCH_NUM_THREADS, else the cores) are split between them.") var parallel = 1
    @OptionGroup var output: JSONOutputOption

    /// The parsed search space.
    func space() throws -> SearchSpace {
        do {
            return try SearchSpace(parsing: search)
        } catch let error as SearchSpaceError {
            throw ValidationError(search.isEmpty ? "give at least one --search name=spec" : "--search \(error)")
        }
    }

    /// Checks the search options, and that the dev metric is one to maximize.
    func validate(_ options: FineTuningOptions) throws {
        _ = try space()
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1, got \(trials)") }
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1, got \(parallel)") }
        if let s = startupTrials, s < 1 { throw ValidationError("--startup-trials must be at least 1, got \(s)") }
        guard minResource >= 1 else { throw ValidationError("--min-resource must be at least 1, got \(minResource)") }
        guard reductionFactor >= 2 else { throw ValidationError("--reduction-factor must be at least 2, got \(reductionFactor)") }
        if options.metric == .loss {
            throw ValidationError("--metric loss: finch tune maximizes the dev metric; choose one where higher is better")
        }
        try Self.checkReplaceable(out: options.out)
    }

    /// The search replaces --out as a whole at its end, so --out must be new, empty, or an earlier
    /// search's (it holds tune.json), and neither the current folder nor one above it.
    static func checkReplaceable(out path: String) throws {
        let fm = FileManager.default
        let out = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let here = URL(fileURLWithPath: fm.currentDirectoryPath).standardizedFileURL.resolvingSymlinksInPath().path
        if here == out || here.hasPrefix(out.hasSuffix("/") ? out : out + "/") {
            throw ValidationError("--out \(path) is the current folder or above it; finch tune replaces --out as a whole")
        }
        var isFolder: ObjCBool = false
        guard fm.fileExists(atPath: out, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw ValidationError("--out \(path) is a file; give a folder") }
        let entries = (try? fm.contentsOfDirectory(atPath: out)) ?? []
        if entries.allSatisfy({ $0 == OutputFolderLock.fileName }) || entries.contains(TuneReport.fileName) { return }
        throw ValidationError(
            "--out \(path) holds files that finch tune did not write (it has no \(TuneReport.fileName)); the search replaces "
                + "--out as a whole, so give a new or empty folder, or an earlier search's")
    }

    /// Runs the search: `train` fine-tunes one trial's request.
    func study(
        request: FineTuningRequest, task: TaskMetadata.Kind, baseModel: String, runs: String?,
        train: @escaping @Sendable (FineTuningRequest, StopSignal, (TrainingEvent) -> Void) throws -> FineTuningResult
    ) throws {
        let space = try space()
        let seed = request.training.seed
        let sampler: any TrialSampler
        switch self.sampler {
        case .random: sampler = RandomSampler(seed: seed)
        case .tpe: sampler = TPESampler(seed: seed, startupTrials: startupTrials ?? Swift.max(1, Swift.min(10, trials / 2)))
        }
        let pruner = pruner == .asha ? SuccessiveHalvingPruner(minResource: minResource, reductionFactor: reductionFactor) : nil
        let study = Study(space: space, sampler: sampler, pruner: pruner, trials: trials, parallel: parallel)
        let run = TuneRun(
            base: request, task: task, baseModel: baseModel, runs: runs, study: study,
            settings: TuneRun.Settings(
                search: search, sampler: self.sampler.rawValue, startupTrials: (sampler as? TPESampler)?.startupTrials,
                pruner: self.pruner.rawValue, minResource: minResource, reductionFactor: reductionFactor, json: output.json),
            train: train)
        try run.execute()
    }
}

/// One `finch tune` study: trials trained in a work folder beside --out, each recorded as a
/// `tune-trial` run, the study as a `tune` run, the best trial exported to --out.
struct TuneRun: Sendable {
    /// What the command line chose, as tune.json and the run store record it.
    struct Settings: Sendable {
        var search: [String]
        var sampler: String
        var startupTrials: Int?
        var pruner: String
        var minResource: Int
        var reductionFactor: Int
        var json: Bool
    }

    let base: FineTuningRequest
    let task: TaskMetadata.Kind
    let baseModel: String
    let runs: String?
    let study: Study
    let settings: Settings
    let train: @Sendable (FineTuningRequest, StopSignal, (TrainingEvent) -> Void) throws -> FineTuningResult

    var metric: String { base.training.metricForBestModel.rawValue }
    var out: URL { base.outputDirectory.standardizedFileURL }
    var kindName: String { task == .classification ? "classify" : "ner" }

    func execute() throws {
        let start = ContinuousClock.now
        let work = out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).tune-\(UUID().uuidString)")
        let lock = try OutputFolderLock(work)
        defer {
            withExtendedLifetime(lock) {}
            try? FileManager.default.removeItem(at: work)  // our own work folder: trial models not kept
        }
        try TrainingRun.recorded(runs: runs, { try studyStart() }) { recorder in
            // Trials at once share the threads.
            let threads = Parallel.threadCount
            Parallel.threadCount = Swift.max(1, threads / Swift.max(1, Swift.min(study.parallel, study.trials)))
            defer { Parallel.threadCount = threads }
            let kept = KeptTrials()
            let records = try TrainingRun.withStopSignal(message: "stopping the running trials; no new trial starts") { stop in
                study.run(
                    stop: stop,
                    train: { context in try trial(context, work: work, study: recorder?.id, kept: kept) },
                    finished: { record in finished(record, work: work, kept: kept, recorder: recorder) })
            }
            try export(records, kept: kept, recorder: recorder, seconds: Card.seconds(since: start))
        }
    }

    /// The study's start in the run store.
    func studyStart() throws -> RunStart {
        var p: [String: String] = [
            "task": kindName, "trials": String(study.trials), "parallel": String(study.parallel), "sampler": settings.sampler,
            "pruner": settings.pruner, "seed": String(base.training.seed), "train": base.trainFile.relativePath,
            "out": base.outputDirectory.relativePath, "metric_for_best_model": metric,
        ]
        if let dev = base.devFile { p["dev"] = dev.relativePath }
        if let s = settings.startupTrials { p["startup_trials"] = String(s) }
        if settings.pruner == TunePrunerKind.asha.rawValue {
            p["min_resource"] = String(settings.minResource)
            p["reduction_factor"] = String(settings.reductionFactor)
        }
        for parameter in study.space.parameters { p["search." + parameter.name] = parameter.specification }
        return RunStart(
            kind: "tune", model: baseModel, command: Card.commandLine, outputDirectory: out.path, parameters: p,
            dataHashes: try RunTracking.hashes([("train", base.trainFile.relativePath), ("dev", base.devFile?.relativePath)]),
            bestMetric: metric)
    }

    /// The request of one trial: the base request with the trial's settings, written to its own folder.
    func request(for context: TrialContext, work: URL) -> FineTuningRequest {
        var r = base
        for (name, value) in context.parameters.values { TunableSetting(rawValue: name)?.apply(value, to: &r) }
        r.outputDirectory = work.appendingPathComponent("trial-\(context.number)")
        return r
    }

    /// Trains one trial, recorded as a `tune-trial` run; each dev evaluation goes to the pruner.
    func trial(_ context: TrialContext, work: URL, study studyID: Int?, kept: KeptTrials) throws -> Study.Outcome {
        let r = request(for: context, work: work)
        let label = "trial \(context.number)"
        ProgressBar.write("\(label): \(context.parameters.summary)\n")
        let start: () throws -> RunStart = {
            var s = try RunTracking.start(r, kind: "tune-trial", model: baseModel)
            if let studyID { s.parameters["study"] = String(studyID) }
            s.parameters["trial"] = String(context.number)
            s.parameters["searched"] = context.parameters.values.map(\.name).joined(separator: ",")
            return s
        }
        return try TrainingRun.recorded(runs: runs, start) { recorder in
            let metric = self.metric
            let result = try TrainingOptions.flagged {
                try train(r, context.stop) { event in
                    recorder?.observe(event)
                    guard case let .evaluated(step, _, metrics, _) = event, let value = metrics[metric] else { return }
                    let decision = context.report(step: step, value: value)
                    ProgressBar.write(String(format: "%@ step %d: %@ %.4f%@\n", label, step, metric, value, Self.describe(decision)))
                }
            }
            kept.store(context.number, request: r, result: result)
            // Pruned only when the pruner's stop ended the training early (not at its last evaluation).
            let stopped = result.summary.interrupted
            let status: RunStatus = !stopped ? .finished : context.wasPruned ? .pruned : .interrupted
            try RunTracking.finish(recorder, status, finalMetrics: result.summary.lastEvaluation?.metrics ?? [:], folder: nil)
            return Study.Outcome(runID: recorder?.id, bestValue: result.summary.bestMetric, stoppedEarly: stopped)
        }
    }

    static func describe(_ decision: PruneDecision) -> String {
        switch decision {
        case .notAtRung: return ""
        case .tooFewAtRung(let k): return " (rung \(k): too few trials there yet, goes on)"
        case .promoted(let k): return " (rung \(k): among the best, goes on)"
        case .stopped(let k): return " (rung \(k): not among the best, stops)"
        }
    }

    /// A trial ended: keeps its folder when it is the best completed one so far (deleting the
    /// previous best's), else deletes it; says so on stderr and in the study's run.
    func finished(_ record: TrialRecord, work: URL, kept: KeptTrials, recorder: RunRecorder?) {
        let best = kept.finish(record)
        for number in best.discard { try? FileManager.default.removeItem(at: work.appendingPathComponent("trial-\(number)")) }
        let label = "trial \(record.number)"
        var line = "\(label) \(record.status.rawValue)"
        if let v = record.value { line += String(format: ": best %@ %.4f", metric, v) }
        line += String(format: " in %.1f s", record.seconds)
        if let error = record.error { line += " (\(error))" }
        if let b = best.number, let v = best.value { line += String(format: "; best so far: trial %d, %.4f", b, v) }
        ProgressBar.write(line + "\n")
        if let v = record.value {
            let improved = best.number == record.number
            recorder?.record(
                [RunMetricPoint(step: record.number, epoch: 0, name: "trial_" + metric, value: v)],
                best: improved ? RunBest(metric: metric, value: v, step: record.number) : nil)
        }
    }

    /// Exports the best completed trial to --out with its card and tune.json, prints the table,
    /// and records how the study ended.
    func export(_ records: [TrialRecord], kept: KeptTrials, recorder: RunRecorder?, seconds: Double) throws {
        let interrupted = records.count < study.trials || records.contains { $0.error == Study.stoppedOnRequest }
        guard let best = Study.best(records), let chosen = kept.result(best.number) else {
            let reason = records.first { $0.error != nil }?.error.map { "; the first failure: \($0)" } ?? ""
            if interrupted { throw ExitCode(130) }
            throw ValidationError("no trial completed\(reason)")
        }
        let report = TuneReport(
            task: kindName, metric: metric, sampler: settings.sampler, startupTrials: settings.startupTrials, seed: base.training.seed,
            pruner: settings.pruner, minResource: settings.pruner == "asha" ? settings.minResource : nil,
            reductionFactor: settings.pruner == "asha" ? settings.reductionFactor : nil, search: settings.search,
            trialsRequested: study.trials, parallel: study.parallel, bestTrial: best.number, bestValue: best.value,
            studyRunID: recorder?.id, seconds: seconds, trials: records)
        let (request, result) = chosen
        let source = request.outputDirectory
        try AtomicDirectory.replace(out) { temporary in
            let fm = FileManager.default
            do {
                for name in try fm.contentsOfDirectory(atPath: source.path)
                where !name.hasPrefix(".") && name != "checkpoint" && name != "best" {
                    try fm.moveItem(at: source.appendingPathComponent(name), to: temporary.appendingPathComponent(name))
                }
            } catch {
                throw FileWriteError.cannotWrite(path: out.path, reason: SystemReason.describe(error))
            }
            try AtomicFile.write(try report.encoded() + Data("\n".utf8), to: temporary.appendingPathComponent(TuneReport.fileName))
        }
        var exported = request
        exported.outputDirectory = out
        var tuned = result
        tuned.settings["tuned_by"] =
            "finch tune: trial \(best.number) of \(study.trials) (from 0), sampler \(settings.sampler), pruner \(settings.pruner)"
        try TrainingRun.writeCard(request: exported, task: task, result: tuned, baseModel: baseModel, seconds: best.seconds)
        if settings.json {
            try StandardOutput.line(String(decoding: try report.encoded(), as: UTF8.self))
        } else {
            try StandardOutput.write(table(records))
            try StandardOutput.line(
                String(format: "\nbest: trial %d, %@ %.4f; model written to %@", best.number, metric, best.value ?? .nan, out.path))
        }
        var final: [String: Double] = ["best_" + metric: best.value ?? .nan]
        for status in [TrialStatus.completed, .pruned, .failed] {
            final["trials_" + status.rawValue] = Double(records.filter { $0.status == status }.count)
        }
        try RunTracking.finish(recorder, interrupted ? .interrupted : .finished, finalMetrics: final, folder: out)
        if interrupted { throw ExitCode(130) }
    }

    /// The trials as a table: number, status, best metric, evaluations, seconds, settings.
    func table(_ records: [TrialRecord]) -> String {
        let names = study.space.parameters.map(\.name)
        let header = ["trial", "status", metric, "evals", "seconds"] + names
        var rows = [header]
        for r in records {
            rows.append(
                [
                    String(r.number), r.status.rawValue, r.value.map { String(format: "%.4f", $0) } ?? "-", String(r.evaluations.count),
                    String(format: "%.1f", r.seconds),
                ] + names.map { r.parameters[$0]?.short ?? "-" })
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.indices.map { c in row[c].padding(toLength: widths[c], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}

/// The trials' results while a study runs, and which trial's folder is kept: the best
/// completed one so far (the earliest of equals).
final class KeptTrials: Sendable {
    private let state = Mutex<(results: [Int: (FineTuningRequest, FineTuningResult)], best: (number: Int, value: Double)?)>(([:], nil))

    /// Keeps a trial's request and result until its end is judged.
    func store(_ number: Int, request: FineTuningRequest, result: FineTuningResult) {
        state.withLock { $0.results[number] = (request, result) }
    }

    /// Judges a finished trial: the best so far after it, and the trials whose folders go.
    func finish(_ record: TrialRecord) -> (number: Int?, value: Double?, discard: [Int]) {
        state.withLock { s in
            var discard: [Int] = []
            if record.status == .completed, let v = record.value,
                s.best.map({ v > $0.value || (v == $0.value && record.number < $0.number) }) ?? true
            {
                if let old = s.best { discard.append(old.number) }
                s.best = (record.number, v)
            } else {
                discard.append(record.number)
            }
            for n in discard { s.results[n] = nil }
            return (s.best?.number, s.best?.value, discard)
        }
    }

    /// The kept trial's request and result.
    func result(_ number: Int) -> (FineTuningRequest, FineTuningResult)? { state.withLock { $0.results[number] } }
}

/// tune.json: the study's settings and every trial.
struct TuneReport: Encodable {
    static let fileName = "tune.json"

    var task: String
    var metric: String
    var sampler: String
    var startupTrials: Int?
    var seed: UInt64
    var pruner: String
    var minResource: Int?
    var reductionFactor: Int?
    var search: [String]
    var trialsRequested: Int
    var parallel: Int
    var bestTrial: Int
    var bestValue: Double?
    var studyRunID: Int?
    /// Seconds the whole search took.
    var seconds: Double
    var trials: [TrialRecord]

    enum CodingKeys: String, CodingKey {
        case task, metric, sampler, seed, pruner, search, parallel, seconds, trials
        case startupTrials = "startup_trials"
        case minResource = "min_resource"
        case reductionFactor = "reduction_factor"
        case trialsRequested = "trials_requested"
        case bestTrial = "best_trial"
        case bestValue = "best_value"
        case studyRunID = "study_run_id"
    }

    func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try e.encode(self)
    }
}
