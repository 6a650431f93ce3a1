import Foundation
import Synchronization
import Testing

@testable import FinchTrain

/// ASHA's rule on scripted reports, decision by decision, and a study that prunes with it.
@Suite struct SuccessiveHalvingPrunerTests {
    @Test func rungsAreAtMinResourceTimesEtaToTheK() {
        let p = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        #expect((1...10).map { p.rung(atEvaluation: $0) } == [0, nil, 1, nil, nil, nil, nil, nil, 2, nil])
        let q = SuccessiveHalvingPruner(minResource: 2, reductionFactor: 2)
        #expect((1...8).map { q.rung(atEvaluation: $0) } == [nil, 0, nil, 1, nil, nil, nil, 2])
    }

    @Test func aScriptedSequenceGetsTheRulesDecisions() {
        // η = 3, rungs at evaluations 1, 3, 9. At a rung with n values (the new one included):
        // n < 3 goes on; else the trial goes on when its value is at least the ⌊n/3⌋-th largest there.
        let p = SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3)
        let script: [(trial: Int, evaluation: Int, value: Double, decision: PruneDecision)] = [
            // Rung 0 (evaluation 1).
            (0, 1, 0.50, .tooFewAtRung(rung: 0)),  // n = 1 < 3
            (1, 1, 0.60, .tooFewAtRung(rung: 0)),  // n = 2 < 3
            (2, 1, 0.55, .stopped(rung: 0)),  // n = 3, keep 1: the largest is 0.60 > 0.55
            (3, 1, 0.70, .promoted(rung: 0)),  // n = 4, keep 1: 0.70 is the largest
            (0, 2, 0.52, .notAtRung),  // evaluation 2 is no rung: nothing recorded
            (4, 1, 0.65, .stopped(rung: 0)),  // n = 5, keep 1: 0.70 > 0.65
            (5, 1, 0.62, .stopped(rung: 0)),  // n = 6, keep 2: [0.70, 0.65, …]; 0.62 < 0.65
            (6, 1, 0.68, .promoted(rung: 0)),  // n = 7, keep 2: [0.70, 0.68, …]; 0.68 ≥ 0.68
            // Rung 1 (evaluation 3): judged only against values at rung 1.
            (0, 3, 0.58, .tooFewAtRung(rung: 1)),  // n = 1
            (1, 3, 0.66, .tooFewAtRung(rung: 1)),  // n = 2
            (3, 3, 0.75, .promoted(rung: 1)),  // n = 3, keep 1: 0.75 is the largest
            (6, 3, 0.74, .stopped(rung: 1)),  // n = 4, keep 1: 0.75 > 0.74
            (7, 1, 0.71, .promoted(rung: 0)),  // back at rung 0: n = 8, keep 2: [0.71, 0.70, …]; 0.71 ≥ 0.70
            (8, 1, .nan, .stopped(rung: 0)),  // n = 9, keep 3: a NaN ranks last
            // Rung 2 (evaluation 9).
            (3, 9, 0.80, .tooFewAtRung(rung: 2)),
        ]
        for s in script {
            #expect(p.report(trial: s.trial, evaluation: s.evaluation, value: s.value) == s.decision, "trial \(s.trial) at \(s.evaluation)")
        }
        #expect(p.values(atRung: 1).map(\.trial) == [0, 1, 3, 6])
        #expect(p.values(atRung: 0).count == 9)
    }

    @Test func aStudyStopsTheTrialsThePrunerStops() {
        // Trial n reports values[n] at evaluations 1, 2, 3 (η = 3: rungs at 1 and 3) and stops
        // when its stop is raised. Worked out by hand:
        // rung 0: t0 0.5 (n=1 on), t1 0.7 (n=2 on), t2 0.6 (n=3 keep 1: 0.7 > 0.6, pruned after 1 evaluation),
        //         t3 0.8 (n=4 keep 1: largest, on), t4 0.4 (n=5 keep 1, pruned after 1 evaluation);
        //         t5 0.9 (n=6 keep 2: [0.9, 0.8, …], on);
        // rung 1: t0 0.55 (n=1 on), t1 0.75 (n=2 on), t3 0.9 (n=3 keep 1: largest, on, completes),
        //         t5 0.3 (n=4 keep 1: 0.9 > 0.3, stop; but that was its last evaluation: it trained to
        //         its end and is completed, its best 0.9 tying t3's, which stays the best as the earlier).
        let values: [[Double]] = [
            [0.5, 0.52, 0.55], [0.7, 0.72, 0.75], [0.6, 0.9, 0.95], [0.8, 0.85, 0.9], [0.4, 0.95, 0.99], [0.9, 0.5, 0.3],
        ]
        let parameters = (0..<6).map { TrialParameters([("lr", .real(Double($0 + 1) * 1e-5))]) }
        let sampler = ScriptedSampler(parameters)
        let study = Study(
            space: try! SearchSpace(parsing: ["lr=loguniform(1e-5,1e-4)"]), sampler: sampler,
            pruner: SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3), trials: 6)
        let records = study.run { context in
            for (i, v) in values[context.number].enumerated() {
                context.report(step: 10 * (i + 1), value: v)
                if context.stop.isStopRequested && i < 2 { return Study.Outcome(stoppedEarly: true) }
            }
            return Study.Outcome()
        }
        #expect(records.map(\.status) == [.completed, .completed, .pruned, .completed, .pruned, .completed])
        #expect(records.map(\.evaluations.count) == [3, 3, 1, 3, 1, 3])
        #expect(records.map(\.value) == [0.55, 0.75, 0.6, 0.9, 0.4, 0.9])
        #expect(records[1].evaluations == [.init(step: 10, value: 0.7), .init(step: 20, value: 0.72), .init(step: 30, value: 0.75)])
        #expect(Study.best(records)?.number == 3)
        #expect(records.map(\.parameters) == parameters)
    }
}

/// Hands out fixed settings by trial number.
struct ScriptedSampler: TrialSampler {
    let parameters: [TrialParameters]
    init(_ parameters: [TrialParameters]) { self.parameters = parameters }
    func sample(trial number: Int, space: SearchSpace, history: [TrialRecord]) -> TrialParameters { parameters[number] }
}

/// The study loop: parallel trials, failures, the best trial, a stop request.
@Suite struct StudyTests {
    static let space = try! SearchSpace(parsing: ["lr=loguniform(1e-5,1e-3)", "batch-size=8,16"])

    @Test func randomTrialsAreTheSameOneAfterAnotherOrInParallel() {
        let objective: @Sendable (TrialContext) -> Study.Outcome = { c in Study.Outcome(bestValue: -c.parameters["lr"]!.number!) }
        let one = Study(space: Self.space, sampler: RandomSampler(seed: 11), pruner: nil, trials: 9).run(train: objective)
        let three = Study(space: Self.space, sampler: RandomSampler(seed: 11), pruner: nil, trials: 9, parallel: 3).run(train: objective)
        #expect(one.map(\.number) == Array(0..<9) && three.map(\.number) == Array(0..<9))
        #expect(one.map(\.parameters) == three.map(\.parameters))
        #expect(one.map(\.value) == three.map(\.value))
        #expect(Study.best(one)?.number == one.max { $0.value! < $1.value! }?.number)
    }

    struct Boom: Error, CustomStringConvertible { var description: String { "out of memory" } }

    @Test func aFailedTrialIsRecordedAndTheStudyGoesOn() {
        let ended = Mutex<[Int]>([])
        let records = Study(space: Self.space, sampler: RandomSampler(seed: 2), pruner: nil, trials: 3).run(
            train: { c in
                if c.number == 1 { throw Boom() }
                return Study.Outcome(runID: 40 + c.number, bestValue: Double(c.number))
            },
            finished: { r in ended.withLock { $0.append(r.number) } })
        #expect(records.map(\.status) == [.completed, .failed, .completed])
        #expect(records[1].error == "out of memory" && records[1].value == nil)
        #expect(records.map(\.runID) == [40, nil, 42])
        #expect(Study.best(records)?.number == 2)
        #expect(ended.withLock { $0 } == [0, 1, 2])
        // Equal values: the earliest trial is the best; pruned and failed trials never are.
        let tied = [
            TrialRecord(number: 0, parameters: .init([]), status: .pruned, value: 0.9),
            TrialRecord(number: 1, parameters: .init([]), status: .completed, value: 0.8),
            TrialRecord(number: 2, parameters: .init([]), status: .completed, value: 0.8),
        ]
        #expect(Study.best(tied)?.number == 1)
    }

    @Test func aStopRequestStartsNoNewTrialAndStopsTheRunningOne() {
        let stop = StopSignal()
        let records = Study(space: Self.space, sampler: RandomSampler(seed: 2), pruner: nil, trials: 5).run(stop: stop) { c in
            #expect(!c.stop.isStopRequested)
            stop.requestStop()
            // The study's stop reaches the trial's own signal (the one its Trainer checks).
            return Study.Outcome(bestValue: 1, stoppedEarly: c.stop.isStopRequested)
        }
        #expect(records.count == 1)
        #expect(records[0].status == .failed && records[0].error == "stopped on request before its end", "\(records)")
    }
}
