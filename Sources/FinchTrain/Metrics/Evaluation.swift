/// Dev-set results: named metrics plus a human-readable report.
public struct Evaluation: Sendable {
    /// Metric values by name (`loss`, `accuracy`, `macro_f1`, `f1`, …).
    public var metrics: [String: Double]
    /// The report as people know it (scikit-learn or seqeval layout).
    public var report: String
    /// The results as one JSON object (`finch evaluate --json`).
    public var json: String

    /// Results with their report and JSON form.
    public init(metrics: [String: Double], report: String, json: String = "{}") {
        self.metrics = metrics
        self.report = report
        self.json = json
    }
}
