import Testing

@testable import FinchTrain

@Suite struct LabelSetTests {
    @Test func stringLabelsSortByCodePointsAsPythonDoes() {
        let set = LabelSet(trainingLabels: ["rotten", "fresh", "plot", "fresh", "Zebra", "éclair"])
        #expect(set.labels == ["Zebra", "fresh", "plot", "rotten", "éclair"])
        #expect(set.id(of: "plot") == 2)
        #expect(set.id(of: "unseen") == nil)
        #expect(set.label(for: 3) == "rotten")
        #expect(set.id2label == ["0": "Zebra", "1": "fresh", "2": "plot", "3": "rotten", "4": "éclair"])
        #expect(set.label2id["éclair"] == 4)
    }

    @Test func nerTagsSortAsRunNERDoes() {
        let set = LabelSet(sentences: [TaggedSentence(tokens: ["a", "b", "c", "d"], tags: ["O", "I-PER", "B-PER", "B-LOC"])])
        #expect(set.labels == ["B-LOC", "B-PER", "I-PER", "O"])
    }

    @Test func integerLabelsSortNumerically() {
        #expect(LabelSet(trainingLabels: ["10", "2", "1", "0", "-1"]).labels == ["-1", "0", "1", "2", "10"])
        #expect(LabelSet(trainingLabels: ["10", "2", "x"]).labels == ["10", "2", "x"])
    }

    @Test func checkpointOrderIsKept() {
        let set = LabelSet(orderedLabels: ["negative", "positive", "neutral"])
        #expect(set.labels == ["negative", "positive", "neutral"])
        #expect(set.count == 3)
    }
}
