import Foundation

/// A run as one JSON object (`finch runs show --json`, `GET /v1/runs`): snake-case keys, its start's
/// fields at the top level, non-finite metric values left out (JSON has no NaN).
extension RecordedRun: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, kind, model, command, output, status, steps, seconds, best, parameters, data, artefacts, error, process
        case startedAt = "started_at", updatedAt = "updated_at", finishedAt = "finished_at", finalMetrics = "final_metrics"
        case bestMetric = "best_metric"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(start.kind, forKey: .kind)
        try c.encode(start.model, forKey: .model)
        try c.encode(start.command, forKey: .command)
        try c.encode(start.outputDirectory, forKey: .output)
        try c.encode(status.rawValue, forKey: .status)
        try c.encode(start.startedAt, forKey: .startedAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(steps, forKey: .steps)
        try c.encode(start.bestMetric, forKey: .bestMetric)
        try c.encode(best.flatMap { $0.value.isFinite ? $0 : nil }, forKey: .best)
        try c.encode(start.parameters, forKey: .parameters)
        try c.encode(start.dataHashes, forKey: .data)
        try c.encode(artefacts, forKey: .artefacts)
        try c.encode(finalMetrics.filter { $0.value.isFinite }, forKey: .finalMetrics)
        try c.encode(error, forKey: .error)
        try c.encode(start.process, forKey: .process)
    }
}
