import FinchNN
import FinchTensor
import FinchTestSupport
import FinchText
import FinchTransformers
import Foundation
import Testing

@testable import FinchTrain

/// Word alignment, defaults and options of the fine-tuning tasks.
@Suite struct TaskTests {
    static func tagger(labels: [String] = ["O", "B-PER", "I-PER"]) throws -> BertForTokenClassification {
        var rng = FinchRNG(seed: 1)
        return try BertForTokenClassification(contentsOf: TestSupport.fixtureURL("tiny-bert-wordpiece"), labels: labels, rng: &rng)
    }

    @Test func chineseWordsGetNoBoundaryPiece() throws {
        let dir = try TestSupport.e5Directory()
        let tokenizer = try Tokenizer.load(directory: dir)
        let chars = ["张", "三", "在", "北", "京"]
        let keep = TokenClassificationTask(
            tagger: try Self.tagger(), tokenizer: tokenizer, tokenizerDirectory: dir, maxLength: 64,
            boundary: .keep, splitting: .characters)
        let drop = TokenClassificationTask(
            tagger: try Self.tagger(), tokenizer: tokenizer, tokenizerDirectory: dir, maxLength: 64,
            boundary: .drop, splitting: .characters)
        let bare = try #require(tokenizer.tokenID(for: "▁"))
        let kept = keep.encode(words: chars, tags: [1, 2, 0, 0, 0], line: 1)
        let dropped = drop.encode(words: chars, tags: [1, 2, 0, 0, 0], line: 1)
        // Hugging Face's alignment (same pieces as transformers with is_split_into_words):
        // <s> ▁ 张 ▁三 ▁在 ▁ 北 ▁ 京 </s>; the bare ▁ carries the label of 张, 北 and 京.
        #expect(kept.ids.map { tokenizer.token(for: $0) ?? "?" } == ["<s>", "▁", "张", "▁三", "▁在", "▁", "北", "▁", "京", "</s>"])
        #expect(kept.firstPiece.compactMap { $0 }.filter { kept.ids[$0] == bare }.count == 3)
        // Finch's: every character's own piece carries the label; no bare ▁ anywhere.
        #expect(!dropped.ids.contains(bare))
        #expect(dropped.firstPiece.compactMap { $0 }.map { tokenizer.token(for: dropped.ids[$0]) ?? "" } == chars)
        #expect(dropped.labels.filter { $0 != -100 } == [1, 2, 0, 0, 0])
        // Special tokens frame the sentence: <s> … </s>.
        #expect(tokenizer.token(for: dropped.ids.first!) == "<s>" && tokenizer.token(for: dropped.ids.last!) == "</s>")
        // Chosen automatically for Chinese with this tokenizer, not for English.
        let chinese = [TaggedSentence(tokens: chars, tags: ["B-PER", "I-PER", "O", "O", "O"])]
        let english = [TaggedSentence(tokens: ["John", "lives", "here"], tags: ["B-PER", "O", "O"])]
        #expect(TokenClassificationTask.wantsBoundaryDropped(chinese, tokenizer: tokenizer))
        #expect(!TokenClassificationTask.wantsBoundaryDropped(english, tokenizer: tokenizer))
        let wordPiece = try Tokenizer.load(directory: TestSupport.fixtureURL("tiny-bert-wordpiece"))
        #expect(!TokenClassificationTask.wantsBoundaryDropped(chinese, tokenizer: wordPiece))
    }

    @Test func labelsGoOnFirstPieceAndTruncationCutsWholeWords() throws {
        let dir = TestSupport.fixtureURL("tiny-bert-wordpiece")
        let tokenizer = try Tokenizer.load(directory: dir)
        let task = TokenClassificationTask(
            tagger: try Self.tagger(), tokenizer: tokenizer, tokenizerDirectory: dir, maxLength: 7,
            boundary: .keep, splitting: .whitespace)
        // "smithy" is not in the vocabulary: it splits into smith + ##y.
        let e = task.encode(words: ["john", "smithy", "visited", "paris", "and", "london"], tags: [1, 2, 0, 0, 0, 0], line: 3)
        #expect(e.ids.count <= 7)
        #expect(tokenizer.token(for: e.ids[0]) == "[CLS]" && tokenizer.token(for: e.ids.last!) == "[SEP]")
        let firstPieces = e.firstPiece.compactMap { $0 }
        #expect(e.labels[firstPieces[1]] == 2 && e.labels[firstPieces[1] + 1] == -100)  // ##y ignored
        #expect(e.firstPiece.suffix(2).allSatisfy { $0 == nil })  // cut off, whole words
        #expect(e.wordTags == [1, 2, 0, 0, 0, 0])
    }

    @Test func trainingDefaultsMatchHuggingFace() {
        let c = TrainingConfiguration()
        #expect(c.adamBeta1 == 0.9 && c.adamBeta2 == 0.999 && c.adamEpsilon == 1e-8)
        #expect(c.maxGradNorm == 1.0)
        #expect(c.schedule == .linear)
        #expect(c.learningRate == 5e-5 && c.weightDecay == 0 && c.warmupRatio == 0)
        #expect(c.gradientAccumulationSteps == 1 && c.seed == 42)
    }

    @Test func adversarialTrainingChangesTheUpdate() throws {
        let train = makePoints(60, seed: 4)
        var c = TrainerTests.configuration()
        c.epochs = 1
        let plain = PointTask(seed: 3), adversarial = AdversarialPointTask(seed: 3)
        _ = try Trainer(task: plain, configuration: c, train: train, dev: [], outputDirectory: temporaryDirectory()).run()
        c.adversarialEpsilon = 1.0
        _ = try Trainer(task: adversarial, configuration: c, train: train, dev: [], outputDirectory: temporaryDirectory()).run()
        #expect(adversarial.losses == 2 * 8)  // a clean and a perturbed loss for each of the 8 batches
        #expect(plain.net.hidden.weight.value.scalars != adversarial.net.hidden.weight.value.scalars)
    }

    @Test func adversarialStepPerturbsAlongTheGradientAndRestoresTheEmbedding() throws {
        let batch = makePoints(12, seed: 4)
        let epsilon = 0.5
        var c = TrainerTests.configuration()
        c.adversarialEpsilon = epsilon
        let task = AdversarialPointTask(seed: 3)
        task.net.eval()  // no dropout: the twin below must see the same function
        let trainer = try Trainer(task: task, configuration: c, train: batch, dev: [], outputDirectory: temporaryDirectory())
        let session = try TrainingSession(trainer: trainer, resume: .fresh, events: { _ in })
        let weight = task.net.hidden.weight
        let before = weight.value.scalars
        try task.loss(on: batch).backward()
        let g = try #require(weight.grad).scalars
        task.seenWeights = []
        try session.adversarialStep(key: "hidden.weight", epsilon: epsilon, examples: batch, scale: 1)

        // The perturbed loss saw W + ε·g/‖g‖.
        let norm = g.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
        let perturbed = zip(before, g).map { $0 + Float(epsilon / norm) * $1 }
        #expect(task.seenWeights.count == 1)
        let seen = try #require(task.seenWeights.first)
        #expect(zip(seen, perturbed).map { Swift.abs($0 - $1) }.max()! < 1e-6)
        #expect(zip(seen, before).map { Swift.abs($0 - $1) }.max()! > 1e-3)  // it did move
        // The embedding is restored exactly afterwards.
        #expect(weight.value.scalars == before)
        // Its gradient is added to the clean one: g + ∇L(W + r).
        let twin = PointTask(seed: 3)
        twin.net.eval()
        try twin.net.loadStateDict(task.net.stateDict())
        twin.net.hidden.weight.assign(Tensor(shape: weight.value.shape, values: perturbed))
        try twin.loss(on: batch).backward()
        let adversarialGradient = try #require(twin.net.hidden.weight.grad).scalars
        let accumulated = try #require(weight.grad).scalars
        #expect(zip(accumulated, zip(g, adversarialGradient)).map { Swift.abs($0 - ($1.0 + $1.1)) }.max()! < 1e-5)
    }
}

/// A point task whose "word embedding" is the hidden layer's weight, for FGM;
/// it records the weight each loss was computed with.
final class AdversarialPointTask: TrainingTask {
    let inner: PointTask
    var losses = 0
    var seenWeights: [[Float]] = []
    init(seed: UInt64) { inner = PointTask(seed: seed) }
    var net: PointClassifier { inner.net }
    var model: any Module { inner.net }
    var wordEmbeddingKey: String? { "hidden.weight" }
    func length(of example: Point) -> Int { inner.length(of: example) }
    func loss(on batch: [Point]) throws -> Tensor {
        losses += 1
        seenWeights.append(net.hidden.weight.value.scalars)
        return try inner.loss(on: batch)
    }
    func evaluate(_ examples: [Point]) throws -> Evaluation { try inner.evaluate(examples) }
    func saveModel(to directory: URL) throws { try inner.saveModel(to: directory) }
}
