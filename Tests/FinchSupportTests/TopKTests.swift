import FinchSupport
import Testing

@Suite struct TopKTests {
    @Test func largestFirstTiesToTheLowerIndexExcludedSkipped() {
        let scores: [Float] = [0.5, 2, -.infinity, 2, .nan, 1, 7]
        #expect(
            TopK.largest(scores, count: 3) == [
                RankedIndex(index: 6, score: 7), RankedIndex(index: 1, score: 2), RankedIndex(index: 3, score: 2),
            ])
        #expect(TopK.largest(scores, count: 10).map(\.index) == [6, 1, 3, 5, 0])
        #expect(TopK.largest(scores, count: 0).isEmpty)
        #expect(TopK.largest(scores, count: -3).isEmpty)
    }

    @Test func agreesWithAFullSortOnRandomScores() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let n = Int.random(in: 0...200, using: &rng)
            let scores = (0..<n).map { _ in Float(Int.random(in: 0...20, using: &rng)) }
            let k = Int.random(in: 0...30, using: &rng)
            let expected = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k)
            #expect(TopK.largest(scores, count: k).map(\.index) == Array(expected))
        }
    }
}

@Suite struct ProgressEventTests {
    @Test func fractionDoneIsClamped() {
        #expect(ProgressEvent(stage: "epoch", step: 1, stepCount: 4, elapsedSeconds: 0).fractionDone == 0.25)
        #expect(ProgressEvent(stage: "epoch", step: 9, stepCount: 4, elapsedSeconds: 0).fractionDone == 1)
        #expect(ProgressEvent(stage: "epoch", step: 0, stepCount: 0, elapsedSeconds: 0, metrics: ["loss": 1]).fractionDone == 1)
    }
}
