import FinchSupport
import Foundation

/// A model card's parts before they become Markdown: the Hugging Face YAML
/// header's fields and the body of each section of `ModelCard.sections`.
/// Classifiers, taggers and recommenders fill it from their own facts; one
/// renderer writes them all, so every card has the same header and sections.
public struct ModelCardDocument: Sendable, Equatable {
    /// One result of the header's `model-index`.
    public struct IndexMetric: Sendable, Equatable {
        /// The metric's name (`accuracy`, `ndcg_at_10`).
        public var type: String
        /// Its value.
        public var value: Double

        /// A metric and its value.
        public init(type: String, value: Double) {
            self.type = type
            self.value = value
        }
    }

    /// The model's name (the folder's).
    public var name: String
    /// The paragraph under the title.
    public var summary: String
    /// The Hugging Face pipeline tag, nil where none fits (recommenders).
    public var pipelineTag: String?
    /// The task type of the `model-index` result (the pipeline tag, or `recommendation`).
    public var taskType: String
    /// Tags after `finch`.
    public var tags: [String]
    /// The base model's hub id (`org/name`), nil when unknown or a local folder.
    public var baseModel: String?
    /// Dataset names (the data files' names).
    public var datasets: [String]
    /// The evaluation data's name in `model-index`.
    public var evaluationName: String
    /// The `model-index` metrics; none leaves `model-index` out.
    public var indexMetrics: [IndexMetric]
    /// The body of each section, in `ModelCard.sections` order.
    public var sections: [String]

    /// A document from its parts; `sections` holds one body per `ModelCard.sections` entry.
    public init(
        name: String, summary: String, pipelineTag: String?, taskType: String, tags: [String], baseModel: String?, datasets: [String],
        evaluationName: String, indexMetrics: [IndexMetric], sections: [String]
    ) {
        precondition(sections.count == ModelCard.sections.count, "one body per section")
        self.name = name
        self.summary = summary
        self.pipelineTag = pipelineTag
        self.taskType = taskType
        self.tags = tags
        self.baseModel = baseModel
        self.datasets = datasets
        self.evaluationName = evaluationName
        self.indexMetrics = indexMetrics
        self.sections = sections
    }

    /// The card: YAML header between `---` lines, the title, the summary and every section.
    public var markdown: String {
        var yaml = "---\nlibrary_name: finch\n"
        if let pipelineTag { yaml += "pipeline_tag: \(pipelineTag)\n" }
        yaml += "tags:\n- finch\n" + tags.map { "- \(Self.scalar($0))\n" }.joined()
        yaml += "language:\n- und\nlicense: other\n"
        if let baseModel { yaml += "base_model: \(Self.scalar(baseModel))\n" }
        if !datasets.isEmpty { yaml += "datasets:\n" + datasets.map { "- \(Self.scalar($0))\n" }.joined() }
        if !indexMetrics.isEmpty {
            yaml += "model-index:\n- name: \(JSONString.quoted(name))\n  results:\n  - task:\n      type: \(taskType)\n"
            yaml += "    dataset:\n      name: \(Self.scalar(evaluationName))\n      type: custom\n    metrics:\n"
            for m in indexMetrics { yaml += "    - type: \(m.type)\n      value: \(ModelCard.number(m.value))\n" }
        }
        yaml += "---\n"
        var md = yaml + "\n# \(name)\n\n\(summary)\n\n"
        for (title, body) in zip(ModelCard.sections, sections) {
            md += "## \(title)\n\n" + body + (body.hasSuffix("\n") ? "" : "\n") + "\n"
        }
        md += ModelCardPersonFields.footer
        return md
    }

    /// A YAML scalar: plain when it is letters, digits and `-_./` only, else double-quoted.
    static func scalar(_ text: String) -> String {
        let plain =
            !text.isEmpty && text.first!.isLetter
            && text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-_./".contains($0) }
        return plain ? text : JSONString.quoted(text)
    }
}
