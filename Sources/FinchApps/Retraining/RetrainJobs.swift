import FinchSupport
import Foundation
import Synchronization

/// A background job's state as `GET /v1/jobs/{id}` shows it.
public struct JobRecord: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case running, succeeded, failed
    }

    public var id: String
    /// `retrain`.
    public var kind: String
    public var model: String
    public var state: State
    /// The latest progress: its stage (`prepare`, `train`, `evaluate`, `register`), step and step count.
    public var stage: String?
    public var step: Int
    public var stepCount: Int
    /// 0…1 within the stage.
    public var progress: Double
    /// Figures of the latest step (`loss`).
    public var metrics: [String: Double]
    /// Who started it (the API key id, or `cli`).
    public var actor: String
    public var createdAt: Date
    public var finishedAt: Date?
    /// What the retrain did (when it succeeded).
    public var outcome: RetrainOutcome?
    /// Why it failed.
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, model, state, stage, step, progress, metrics, actor, outcome, error
        case stepCount = "step_count", createdAt = "created_at", finishedAt = "finished_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(model, forKey: .model)
        try c.encode(state, forKey: .state)
        try c.encode(stage, forKey: .stage)
        try c.encode(step, forKey: .step)
        try c.encode(stepCount, forKey: .stepCount)
        try c.encode(progress, forKey: .progress)
        try c.encode(metrics, forKey: .metrics)
        try c.encode(actor, forKey: .actor)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(finishedAt, forKey: .finishedAt)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(error, forKey: .error)
    }
}

/// Runs retrains as background jobs, one at a time per model, dispatched to
/// the retrainer whose kinds hold the model's kind; keeps their state (in
/// this process) for `GET /v1/jobs/{id}`, and records `model.retrain` (and
/// `model.activate` when the new version went live) in the audit trail.
public final class RetrainJobs: Sendable {
    let registry: ModelRegistry
    let retrainers: [any ModelRetrainer]
    let audit: (any AdminAuditTrail)?
    private let jobs = Mutex<[String: JobRecord]>([:])
    private let tasks = Mutex<[String: Task<Void, Never>]>([:])

    public init(registry: ModelRegistry, retrainers: [any ModelRetrainer], audit: (any AdminAuditTrail)?) {
        self.registry = registry
        self.retrainers = retrainers
        self.audit = audit
    }

    /// Starts retraining `model` and returns the job at once.
    /// - Throws: `RegistryError.unknownModel`, `RetrainError.unsupportedKind` or `.alreadyRunning`.
    public func start(model: String, actor: String) throws -> JobRecord {
        let served = try registry.model(named: model)
        guard let retrainer = retrainers.first(where: { $0.kinds.contains(served.kind) }) else {
            throw RetrainError.unsupportedKind(model: model, kind: served.kind)
        }
        let job = JobRecord(
            id: UUID().uuidString.lowercased(), kind: "retrain", model: model, state: .running, stage: nil, step: 0, stepCount: 0,
            progress: 0, metrics: [:], actor: actor, createdAt: Date(), finishedAt: nil, outcome: nil, error: nil)
        try jobs.withLock { all in
            if let running = all.values.first(where: { $0.model == model && $0.state == .running }) {
                throw RetrainError.alreadyRunning(model: model, job: running.id)
            }
            all[job.id] = job
        }
        let id = job.id
        let task = Task.detached { [self] in await self.run(id: id, model: model, actor: actor, retrainer: retrainer) }
        tasks.withLock { $0[id] = task }
        return job
    }

    /// The job, or nil when unknown.
    public func job(id: String) -> JobRecord? { jobs.withLock { $0[id] } }

    /// Every job, newest first.
    public var all: [JobRecord] { jobs.withLock { $0.values.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) } } }

    /// Waits for the job to end and returns its final state (tests, the CLI).
    public func wait(id: String) async -> JobRecord? {
        if let task = tasks.withLock({ $0[id] }) { await task.value }
        return job(id: id)
    }

    private func update(_ id: String, _ change: (inout JobRecord) -> Void) {
        jobs.withLock { all in
            guard var job = all[id] else { return }
            change(&job)
            all[id] = job
        }
    }

    private func recordAudit(_ outcome: RetrainOutcome, id: String, model: String, actor: String) async throws {
        guard let audit else { return }
        var details = ["job": id, "activated": String(outcome.activated), "reason": outcome.reason]
        if let v = outcome.newVersion { details["version"] = String(v) }
        try await audit.record(actor: actor, action: "model.retrain", subject: model, details: details)
        if outcome.activated, let v = outcome.newVersion {
            try await audit.record(actor: actor, action: "model.activate", subject: model, details: ["version": String(v), "job": id])
        }
    }

    private func run(id: String, model: String, actor: String, retrainer: any ModelRetrainer) async {
        do {
            let outcome = try await retrainer.retrain(model: model) { [self] event in
                update(id) { job in
                    job.stage = event.stage
                    job.step = event.step
                    job.stepCount = event.stepCount
                    job.progress = event.fractionDone
                    job.metrics = event.metrics
                }
            }
            update(id) { job in
                job.state = .succeeded
                job.outcome = outcome
                job.finishedAt = Date()
            }
            do {
                try await recordAudit(outcome, id: id, model: model, actor: actor)
            } catch {
                // The retrain itself succeeded; the job says what the trail refused.
                update(id) { job in job.error = "audit trail: \(error)" }
            }
        } catch {
            update(id) { job in
                job.state = .failed
                job.error = String(describing: error)
                job.finishedAt = Date()
            }
        }
    }
}
