import ArgumentParser
import FinchRecommend
import FinchSupport
import Foundation

/// `finch recommend`: train, evaluate and query recommenders.
struct Recommend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recommenders: matrix factorization (svd, svdpp), implicit ALS, BPR, item-KNN, baselines.",
        discussion: """
            Algorithms: baseline, popular, svd, svdpp, als, bpr, itemknn. Defaults follow Surprise \
            (svd, svdpp, baseline, itemknn = KNNBaseline item-based pearson_baseline) and the implicit \
            library (als, bpr). Ratings files: CSV/TSV with a header (columns userId,itemId,rating,timestamp \
            unless renamed), MovieLens u.data / ratings.dat, or JSON Lines.
            """,
        subcommands: [
            RecommendEvaluate.self, RecommendTrain.self, RecommendTop.self, RecommendSimilar.self, RecommendFoldIn.self,
            RecommendAudit.self,
        ]
    )
}

/// Where the ratings come from and how to read them.
struct RatingsFileOptions: ParsableArguments {
    @Option(help: "Ratings file (CSV, TSV, MovieLens u.data, or JSONL).") var ratings: String
    @Option(help: "File format: auto, csv, tsv, movielens, jsonl (auto: from the extension).") var format: String = "auto"
    @Option(name: .customLong("user-column"), help: "Column (or JSON key) with the user id.") var userColumn = "userId"
    @Option(name: .customLong("item-column"), help: "Column with the item id.") var itemColumn = "itemId"
    @Option(
        name: .customLong("rating-column"),
        help: "Column with the rating or weight. Without one the file is implicit feedback (weight 1 per row).")
    var ratingColumn: String?
    @Option(name: .customLong("timestamp-column"), help: "Column with a numeric timestamp (needed by --split leave-last).")
    var timestampColumn: String?
    @Flag(help: "Read the rating column as an implicit-feedback weight (a count or a duration).") var implicit = false
    @Option(
        name: .customLong("rating-scale"),
        help: ArgumentHelp(
            "Allowed ratings as LOW,HIGH (e.g. 1,5); rows outside are bad rows. Without it the scale is the data's range "
                + "(said on stderr), and a rating far outside the bulk is an error."))
    var ratingScale: String?
    @Flag(name: .customLong("skip-bad-rows"), help: "Count and report bad rows instead of stopping at the first.")
    var skipBadRows = false

    /// Reads the file, reporting skipped rows and an inferred rating scale on
    /// standard error. `scale` (a model's) applies when `--rating-scale` is not given.
    func load(scale: RatingScale? = nil) throws -> RatingDataset {
        var options = RatingFileOptions()
        guard let f = RatingFileOptions.Format(rawValue: format) else {
            throw ValidationError("--format must be one of \(RatingFileOptions.Format.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        options.format = f
        options.userColumn = userColumn
        options.itemColumn = itemColumn
        if let ratingColumn {
            options.ratingColumn = ratingColumn
            options.ratingColumnRequired = true
        }
        if let timestampColumn {
            options.timestampColumn = timestampColumn
            options.timestampColumnRequired = true
        }
        options.implicit = implicit
        options.ratingScale = try ratingScale.map(RatingScale.init(parsing:)) ?? scale
        options.skipBadRows = skipBadRows
        let data: RatingDataset
        do {
            data = try RatingFileReader.read(ratings, options: options)
        } catch DataError.invalidValue(let file, let line, let field, let reason) where options.ratingScale == nil {
            throw RecommendCommandError(
                message: "\(file):\(line): field '\(field)' \(reason) with --rating-scale LOW,HIGH")
        }
        if options.ratingScale == nil, data.feedback == .explicit, let inferred = data.ratingScale {
            RecommendTerminal.note(
                "rating scale inferred from the data: \(inferred) (set it with --rating-scale LOW,HIGH)")
        }
        let report = data.report
        if report.skippedRowCount > 0 {
            RecommendTerminal.note("skipped \(report.skippedRowCount) bad rows of \(report.rowCount) in \(ratings); first problems:")
            for problem in report.problems.prefix(5) { RecommendTerminal.note("  \(problem)") }
        }
        if report.duplicateCount > 0 {
            RecommendTerminal.note("merged \(report.duplicateCount) repeated (user, item) pairs")
        }
        return data
    }
}

/// Hyperparameters as flags; anything else as --param name=value.
struct HyperparameterOptions: ParsableArguments {
    @Option(help: "Latent factors (svd 100, svdpp 20, als 100, bpr 100).") var factors: Int?
    @Option(help: "Epochs or ALS iterations (svd/svdpp 20, als 15, bpr 100, baseline 10).") var epochs: Int?
    @Option(help: "Learning rate (svd 0.005, svdpp 0.007, bpr 0.01).") var lr: Float?
    @Option(help: "Regularization (svd/svdpp 0.02, als/bpr 0.01).") var reg: Float?
    @Option(name: .customLong("init-std"), help: "Std of the factor initialization (svd, svdpp: 0.1).") var initStd: Float?
    @Option(help: "ALS confidence scale: c = alpha · value (1).") var alpha: Float?
    @Option(help: "itemknn: neighbours per prediction (40).") var neighbors: Int?
    @Option(name: .customLong("min-k"), help: "itemknn: fewer neighbours than this → baseline only (1).") var minK: Int?
    @Option(help: "itemknn similarity: pearson_baseline, pearson, cosine.") var similarity: String?
    @Option(help: "itemknn similarity shrinkage (100 for pearson_baseline).") var shrinkage: Float?
    @Option(
        name: .customLong("param"),
        help: ArgumentHelp("Any hyperparameter as name=value; repeatable (e.g. --param lr_bu=0.01).", valueName: "name=value"))
    var params: [String] = []

    /// The name → value map for `algorithm`; `seed` fills "seed" when the
    /// algorithm has one and it was not given.
    func parameters(for algorithm: Algorithm, seed: UInt64?) throws -> [String: String] {
        var p: [String: String] = [:]
        func set(_ name: String, _ value: CustomStringConvertible?) { if let value { p[name] = value.description } }
        set("factors", factors)
        set("epochs", epochs)
        set("lr", lr)
        set("reg", reg)
        set("init_std", initStd)
        set("alpha", alpha)
        set("k", neighbors)
        set("min_k", minK)
        set("similarity", similarity)
        set("shrinkage", shrinkage)
        for entry in params {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ValidationError("--param expects name=value, got '\(entry)'") }
            p[String(parts[0])] = String(parts[1])
        }
        if let seed, p["seed"] == nil, algorithm.recommenderType.parameterNames.contains("seed") { p["seed"] = String(seed) }
        return p
    }
}

/// A recommend command's own failure, printed as its message.
struct RecommendCommandError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Standard-error output for the recommend commands.
enum RecommendTerminal {
    static func note(_ text: String) {
        StandardError.write(text + "\n")
    }

    /// Draws a fit's progress events with the shared `ProgressBar` (one bar per stage count).
    static func observer(label: String) -> TrainingObserver {
        var bar: ProgressBar? = nil
        return { progress in
            if bar == nil { bar = ProgressBar(total: progress.stepCount, label: label) }
            bar?.update(progress.step, details: "\(progress.stage) " + ProgressBar.duration(progress.elapsedSeconds))
            if progress.step >= progress.stepCount {
                bar?.finish()
                bar = nil
            }
            return .proceed
        }
    }

    /// One JSON object per line on standard output; a failed write is an error.
    static func printJSON<T: Encodable>(_ value: T) throws {
        try StandardOutput.json(value)
    }

    /// A Float as the shortest decimal that reads back as the same Float.
    static func number(_ value: Float) -> Double { Double("\(value)") ?? Double(value) }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
