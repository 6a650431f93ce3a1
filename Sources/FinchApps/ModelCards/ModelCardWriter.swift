import FinchRecommend
import FinchTrain
import Foundation

/// The one entry point that writes a model folder's card (`README.md`),
/// whatever trained it: `finch train classify|ner` (fine-tuned or
/// classical), `finch recommend train` (plain or hybrid), `finch retrain`,
/// `finch card`; a sentence-embedding folder (such as the int8 copy of
/// `finch quantize`) gets `EmbeddingCard`'s card. It reads what the folder holds (model files, the run
/// record `finch_run.json`, audits, `quantization.json`) and keeps the
/// fields a person wrote in an earlier card (`ModelCardFile`).
public enum ModelCardWriter {
    /// The manifest that marks a recommender folder.
    static let recommenderManifest = "recommender.json"
    /// The manifest a hybrid recommender adds.
    static let hybridManifest = "hybrid.json"

    /// Writes `README.md` into `folder`.
    ///
    /// - Parameters:
    ///   - run: the run that just trained the model, saved as `finch_run.json`
    ///     first; nil uses the folder's `finch_run.json` when there is one.
    ///   - finchVersion: the version named when the run record does not name one.
    /// - Throws: the errors of reading a damaged model file (naming it) or of writing.
    @discardableResult
    public static func write(folder: URL, run: TrainingRunRecord? = nil, finchVersion: String) throws -> ModelCardOutcome {
        let fm = FileManager.default
        guard fm.fileExists(atPath: folder.appendingPathComponent(recommenderManifest).path) else {
            if run == nil && EmbeddingCard.isEmbeddingModel(folder) {
                return try EmbeddingCard.write(to: folder, finchVersion: finchVersion)
            }
            return try ModelCard.write(to: folder, run: run, finchVersion: finchVersion)
        }
        if let run { try run.write(to: folder) }
        let model = try RecommenderModel.load(from: folder)
        let card = RecommenderCard.document(
            name: folder.standardizedFileURL.lastPathComponent, model: model,
            hybrid: fm.fileExists(atPath: folder.appendingPathComponent(hybridManifest).path),
            run: try run ?? TrainingRunRecord.readIfPresent(in: folder), audit: try RecommenderAudit.readIfPresent(in: folder),
            finchVersion: finchVersion)
        return try ModelCardFile.write(card.markdown, to: folder)
    }
}
