import FinchRecommend
import FinchTrain
import Foundation

/// The model card of a recommender folder (`finch recommend train`): the
/// same header and sections as a classifier's, filled from the saved model
/// (algorithm, hyperparameters, users, items, feedback), the run record and
/// a `finch recommend audit` kept in the folder.
public enum RecommenderCard {
    /// The card's parts for `model`, saved in a folder named `name`.
    public static func document(
        name: String, model: RecommenderModel, hybrid: Bool, run: TrainingRunRecord?, audit: RecommenderAudit?, finchVersion: String
    ) -> ModelCardDocument {
        let algorithm = model.algorithm.rawValue
        var index: [ModelCardDocument.IndexMetric] = []
        var evaluationName = "held-out interactions"
        if let audit {
            index = [
                .init(type: "ndcg_at_\(audit.k)", value: audit.overall.ndcg),
                .init(type: "recall_at_\(audit.k)", value: audit.overall.recall),
            ]
            evaluationName = "held-out interactions (finch recommend audit)"
        } else if let run, let ndcg = run.metrics["ndcg_at_10"], let recall = run.metrics["recall_at_10"] {
            index = [.init(type: "ndcg_at_10", value: ndcg), .init(type: "recall_at_10", value: recall)]
            evaluationName = run.evaluationData ?? evaluationName
        }
        var details =
            "- Algorithm: \(algorithm)" + (hybrid ? " with a hybrid ranking (collaborative score, text interest, popularity)" : "")
        let parameters = model.recommender.parameters
        if !parameters.isEmpty {
            details += " (" + parameters.keys.sorted().map { "\($0) = \(parameters[$0]!)" }.joined(separator: ", ") + ")"
        }
        details += "\n- Users: \(model.users.count), items: \(model.items.count), training interactions: "
        details += "\(model.recommender.trainingData.ratingCount) (\(model.feedback.rawValue) feedback"
        if let scale = model.ratingScale { details += ", rating scale \(scale)" }
        details += ")\n"
        details += run.map(ModelCard.runLines) ?? ""
        details += ModelCard.commonDetails()

        var factors = ModelCard.personField("factors", "user groups, item types and contexts whose results may differ")
        if let column = audit?.groupColumn { factors += " An audit by `\(column)` is reported below." }
        let metrics =
            "Ranking accuracy (NDCG@10, recall@10 with every held-out interaction relevant, as the `recommenders` library computes "
            + "them) and exposure: catalogue coverage, Gini index of exposure, average recommendation popularity, long-tail share "
            + "(`finch recommend audit`)."
        var quantitative = ""
        if let run, !run.metrics.isEmpty {
            quantitative +=
                "Evaluation of this run (\(run.evaluationData ?? "held-out interactions")):\n\n" + ModelCard.metricTable(run.metrics) + "\n"
        }
        if let audit {
            let (header, rows) = audit.table
            quantitative += "Audit (`finch recommend audit`, \(audit.algorithm)):\n\n" + ModelCard.table(header: header, rows: rows)
            if !audit.groups.isEmpty {
                quantitative += "\nNDCG@\(audit.k) difference between groups \(ModelCard.number(audit.ndcgDifference)), "
                quantitative += "recall@\(audit.k) difference \(ModelCard.number(audit.recallDifference)).\n"
            }
            quantitative += "\n" + audit.definitions + "\n"
        }
        if quantitative.isEmpty {
            quantitative = "No evaluation was recorded; `finch recommend audit --model \(name) --ratings HELD_OUT` adds one.\n"
        }
        return ModelCardDocument(
            name: name, summary: "A recommender (\(algorithm)) trained with Finch \(run?.finchVersion ?? finchVersion).", pipelineTag: nil,
            taskType: "recommendation", tags: ["recommender", algorithm] + (hybrid ? ["hybrid"] : []), baseModel: nil,
            datasets: run.map(ModelCard.datasetNames) ?? [], evaluationName: evaluationName, indexMetrics: index,
            sections: [
                details, ModelCard.intendedUse(), factors, metrics, ModelCard.evaluationData(run),
                ModelCard.trainingData(run, labelHeader: "label"), quantitative, ModelCard.ethicalConsiderations(), ModelCard.caveats(),
            ])
    }
}
