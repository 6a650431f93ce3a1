import ArgumentParser
import FinchApps
import FinchRecommend
import FinchSupport
import FinchTrain
import Foundation

/// `finch recommend audit`: exposure and per-group accuracy of a saved recommender.
struct RecommendAudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit a recommender: catalogue coverage, exposure, popularity bias and accuracy per user group.",
        discussion: """
            --ratings holds held-out interactions the model was not trained on. Every user of it \
            that the model knows gets the model's top --k items among those they did not interact \
            with in training; every held-out interaction counts as relevant. Reported overall and, \
            with --users and --group-column, per group of users: catalogue coverage (distinct \
            recommended items ÷ catalogue items), Gini index of exposure (over every catalogue \
            item's number of lists, zeros included: 0 is equal exposure), average recommendation \
            popularity (mean training interactions of a list's items, averaged over users), \
            long-tail share (share of list slots holding items outside the head, the most-interacted \
            items that together hold 80 % of training interactions), NDCG@k and recall@k; then the \
            largest gaps between groups. The users file is CSV, TSV or JSONL with the --user-column \
            and the group column; --bands (e.g. 25,35,45) turns a numeric column such as age into \
            bands. Prints a table, or with --json one JSON object. The JSON is also written into the \
            model folder as recommender_audit.json and the model card (README.md) is written again \
            with the table; with --out it goes to that file instead and the folder is left alone.
            """)

    @Option(help: "Model directory written by `finch recommend train`.") var model: String
    @OptionGroup var input: RatingsFileOptions
    @Option(help: "Users file (CSV, TSV or JSONL) with the user column and the group column.") var users: String?
    @Option(name: .customLong("group-column"), help: "Column of the users file holding each user's group.") var groupColumn: String?
    @Option(help: "Bands for a numeric group column, as increasing whole-number edges: 25,35,45.") var bands: String?
    @Option(help: "Length of each recommendation list.") var k = 10
    @Option(help: "Write the JSON result to this file instead of the model folder's recommender_audit.json.") var out: String?
    @OptionGroup var output: JSONOutputOption

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1, got \(k)") }
        if (users == nil) != (groupColumn == nil) { throw ValidationError("--users and --group-column go together") }
        if bands != nil && groupColumn == nil { throw ValidationError("--bands needs --users and --group-column") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: model)
        let loaded = try RecommenderModel.load(from: folder)
        let test = try input.load(scale: loaded.feedback == .explicit ? loaded.ratingScale : nil)
        var groups: [String: String]? = nil
        if let users, let groupColumn {
            groups = try Self.readGroups(
                URL(fileURLWithPath: users), userColumn: input.userColumn, groupColumn: groupColumn,
                bands: try bands.map(GroupBands.init(parsing:)))
        }
        let audit = try FinchRecommend.RecommenderAudit(model: loaded, test: test, groups: groups, groupColumn: groupColumn, k: k)
        let json = Data((try audit.json() + "\n").utf8)
        if let out {
            try AtomicFile.write(json, to: URL(fileURLWithPath: out))
        } else {
            let url = folder.appendingPathComponent(FinchRecommend.RecommenderAudit.fileName)
            try AtomicFile.write(json, to: url)
            let outcome = try ModelCardWriter.write(folder: folder, finchVersion: FinchVersion.string)
            RecommendTerminal.note("audit written to \(url.path); model card updated")
            for line in Card.notes(outcome) { RecommendTerminal.note(line) }
        }
        try StandardOutput.line(output.json ? try audit.json() : audit.report)
    }

    /// User id → group from the users file (read with the classification
    /// reader: the user column as the text, the group column as the label,
    /// so a missing column or empty field is named with file and line).
    static func readGroups(_ url: URL, userColumn: String, groupColumn: String, bands: GroupBands?) throws -> [String: String] {
        let rows = try ClassificationReader(columns: ClassificationColumns(text: userColumn, label: groupColumn)).read(url)
        var values = rows.map(\.label)
        if let bands { values = try bands.apply(values, file: url.relativePath, column: groupColumn) }
        var groups: [String: String] = [:]
        for (row, value) in zip(rows, values) {
            let user = row.text.trimmingCharacters(in: .whitespaces)
            if let earlier = groups[user], earlier != value {
                throw ValidationError("\(url.relativePath): user \(user) is in two groups (\(earlier), \(value))")
            }
            groups[user] = value
        }
        return groups
    }
}
