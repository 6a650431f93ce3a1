import FinchApps
import Foundation
import Testing

/// Detectors against values computed by hand on small series.
@Suite struct DetectorTests {
    typealias F = MonitorFixtures

    func close(_ a: Double, _ b: Double, _ tol: Double = 1e-9) -> Bool { abs(a - b) <= tol }

    @Test func ewmaMeanAndVarianceByHand() {
        // halflife 1 → α = 1 − 2^−1 = 0.5.
        let alpha = EWMA.alpha(halflife: 1)
        #expect(alpha == 0.5)
        var mean: Double? = nil, variance = 0.0
        var seen: [(Double, Double)] = []
        for x in [1.0, 3, 2, 6] {
            EWMA.update(mean: &mean, variance: &variance, with: x, alpha: alpha)
            seen.append((mean!, variance))
        }
        // x=1: μ=1, v=0.  x=3: d=2, μ=2, v=.5(0+.5·4)=1.  x=2: d=0, μ=2, v=.5.  x=6: d=4, μ=4, v=.5(.5+.5·16)=4.25.
        let expected: [(Double, Double)] = [(1, 0), (2, 1), (2, 0.5), (4, 4.25)]
        for (s, e) in zip(seen, expected) { #expect(close(s.0, e.0) && close(s.1, e.1), "\(s) vs \(e)") }
        #expect(close(EWMA.alpha(halflife: 24), 1 - pow(2, -1.0 / 24)))
    }

    @Test func binomialScoreByHand() {
        // p̂ = .2, v = .004, ρ = .02: extra = .004 − .16·.02 = .0008.
        // n = 50, p = .4: z = .2 / sqrt(.16/50 + .0008) = .2 / sqrt(.004) = 3.16228.
        let big = DetectorScores.share(value: 0.4, count: 50, baseline: 0.2, variance: 0.004, inverseCount: 0.02)
        #expect(close(big, 0.2 / 0.004.squareRoot()))
        #expect(close(big, 3.16227766, 1e-6))
        // The same jump in 5 documents (p = .6): z = .4 / sqrt(.032 + .0008) = 2.2086 — no alarm at z = 3.
        let small = DetectorScores.share(value: 0.6, count: 5, baseline: 0.2, variance: 0.004, inverseCount: 0.02)
        #expect(close(small, 0.4 / 0.0328.squareRoot()) && small < 3)
        // Variance below sampling noise adds nothing: z = .1 / sqrt(.16/100).
        #expect(close(DetectorScores.share(value: 0.3, count: 100, baseline: 0.2, variance: 0.001, inverseCount: 0.01), 2.5))
        // A clean history (p̂ = 0) uses p̂ = .01 in the variance: one negative text in 20 is z = .05/sqrt(.0099/20) = 2.247.
        #expect(
            close(
                DetectorScores.share(value: 0.05, count: 20, baseline: 0, variance: 0, inverseCount: 0.05),
                0.05 / (0.0099 / 20).squareRoot()))
    }

    @Test func cusumByHand() {
        var s = 0.0
        var sums: [Double] = []
        for z in [1.0, 2, 0, -3, 4] {
            s = DetectorScores.cusum(s, z: z)
            sums.append(s)
        }
        // k = .5: .5, 2, 1.5, 0, 3.5
        #expect(sums == [0.5, 2, 1.5, 0, 3.5])
        #expect(close(DetectorScores.volume(value: 130, expected: 100, variance: 36), 3))
        #expect(close(DetectorScores.volume(value: 130, expected: 100, variance: 400), 1.5))
        #expect(close(DetectorScores.meanScore(value: -0.5, baseline: 0.1, variance: 0.04), 3))
    }

    /// The ewma_z step on a small negative-share series, every number by hand (halflife 1, z 3, min_count 10).
    @Test func ewmaZStepsByHand() throws {
        let rule = AlertRule(name: "r", metric: .negativeShare, detector: .ewmaZ, halflife: 1, z: 3, minCount: 10, cooldown: 0)
        var state = DetectorState(rule: rule)
        func step(_ count: Int, _ share: Double, _ hour: Double) -> DetectorOutcome? {
            Detector.step(BucketObservation(start: F.hour(hour), count: count, value: share), state: &state, width: .hour)
        }
        #expect(step(100, 0.2, 0)?.alarming == false)
        #expect(step(100, 0.2, 1)?.score == 0)
        #expect(step(5, 1.0, 2) == nil)  // below min_count: skipped, not learned
        #expect(state.observations == 2)
        #expect(step(100, 0.2, 3)?.alarming == false)
        // Warm (3 buckets learned). sd = sqrt(.16/100) = .04; z = (.4 − .2)/.04 = 5.
        let surge = try #require(step(100, 0.4, 4))
        #expect(surge.alarming && close(surge.score, 5) && close(surge.baseline, 0.2))
        // Learned clamped to .2 + 3·.04 = .32: μ = .26, v = .5(.5·.12²) = .0036, ρ = .01.
        #expect(close(state.mean!, 0.26) && close(state.variance, 0.0036) && close(state.inverseCount!, 0.01))
        // Next: sd = sqrt(.26·.74/100 + (.0036 − .001924)) = .06; z = (.2 − .26)/.06 = −1: normal.
        let after = try #require(step(100, 0.2, 5))
        #expect(close(after.score, -1) && after.normal && !after.alarming)
    }

    @Test func noAlarmDuringWarmup() {
        let rule = AlertRule(name: "r", metric: .negativeShare, detector: .ewmaZ, halflife: 4, minCount: 1)
        var state = DetectorState(rule: rule)
        _ = Detector.step(BucketObservation(start: F.hour(0), count: 100, value: 0.1), state: &state, width: .hour)
        let jump = Detector.step(BucketObservation(start: F.hour(1), count: 100, value: 0.9), state: &state, width: .hour)
        #expect(jump?.alarming == false && (jump?.score ?? 0) > 3)
        #expect(Detector.warmup(rule: rule, width: .hour) == 4)
        #expect(Detector.warmup(rule: AlertRule(name: "v", metric: .volume, detector: .ewmaZ), width: .hour) == 48)
    }

    @Test func cusumDetectorAccumulatesAndResets() throws {
        // mean_score with a fixed variance: halflife huge so the baseline barely moves.
        let rule = AlertRule(name: "c", metric: .meanScore, detector: .cusum, halflife: 1e9, threshold: 2, minCount: 0)
        var state = DetectorState(rule: rule)
        state.mean = 0
        state.variance = 0.01
        state.observations = 1_000_000_000
        var outcomes: [DetectorOutcome] = []
        // z = −x/0.1: .0 → 0, −.1 → 1, −.15 → 1.5, −.2 → 2, +.3 → −3
        for (i, x) in [0.0, -0.1, -0.15, -0.2, 0.3].enumerated() {
            outcomes.append(
                try #require(Detector.step(BucketObservation(start: F.hour(Double(i)), count: 50, value: x), state: &state, width: .hour)))
        }
        // S: 0, .5, 1.5, 3 (> 2: alarm), 0 (normal)
        #expect(outcomes.map(\.score).map { ($0 * 1e6).rounded() / 1e6 } == [0, 0.5, 1.5, 3, 0])
        #expect(outcomes.map(\.alarming) == [false, false, false, true, false])
        #expect(outcomes[4].normal && !outcomes[2].normal)
    }

    @Test func stateSurvivesJSON() throws {
        var state = DetectorState(rule: AlertRule(name: "r", metric: .volume, detector: .ewmaZ))
        state.mean = 3
        state.season = Array(repeating: 1, count: 31)
        state.openAlert = "m/r/Apple/0"
        let again = try JSONDecoder().decode(DetectorState.self, from: JSONEncoder().encode(state))
        #expect(again == state)
        // Older JSON without the newer fields still reads.
        let minimal = try JSONDecoder().decode(
            DetectorState.self, from: Data(#"{"rule": {"name": "r", "metric": "volume", "detector": "cusum"}}"#.utf8))
        #expect(minimal.observations == 0 && minimal.mean == nil)
    }
}
