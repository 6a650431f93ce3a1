import FinchSupport
import Foundation

extension ModelCard {
    /// Writes `README.md` in the classifier's or tagger's folder `directory`
    /// from what the folder holds, keeping what a person wrote
    /// (`ModelCardFile`).
    ///
    /// - Parameters:
    ///   - run: the run that just trained the model; saved as `finch_run.json`
    ///     first. Nil reads the folder's `finch_run.json` when there is one.
    ///   - audit: a fairness audit to show; nil reads the folder's `fairness_audit.json` when there is one.
    /// - Throws: `TaskError.invalidModelFile` naming a damaged file of the folder; file-write errors.
    @discardableResult
    public static func write(
        to directory: URL, run: TrainingRunRecord? = nil, audit: FairnessAudit? = nil, finchVersion: String
    ) throws -> ModelCardOutcome {
        if let run { try run.write(to: directory) }
        let facts = try ModelFacts.read(from: directory)
        let card = markdown(
            for: facts, audit: try audit ?? FairnessAudit.readIfPresent(in: directory),
            run: try run ?? TrainingRunRecord.readIfPresent(in: directory),
            quantization: try QuantizationFacts.readIfPresent(in: directory),
            finchVersion: finchVersion)
        return try ModelCardFile.write(card, to: directory)
    }
}
