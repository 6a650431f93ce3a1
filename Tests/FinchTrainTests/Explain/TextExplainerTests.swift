import FinchNN
import FinchTensor
import FinchTestSupport
import FinchText
import FinchTransformers
import Foundation
import Testing

@testable import FinchTrain

/// Word-level explanations of a fine-tuned classifier folder (tiny random
/// classifier + WordPiece vocabulary), against the Captum fixture and against
/// occlusion computed directly.
@Suite struct TextExplainerTests {
    @Test func classifierWordsEqualCaptumTokensGroupedByWord() throws {
        let folders = try ExplainFolders()
        defer { folders.remove() }
        let fixture = try CaptumIGFixture.load()
        let c = try #require(fixture.cases.first { $0.name == "single_prob_50" })
        let explainer = try TextExplainer(directory: folders.classifier)
        let e = try #require(
            try explainer.explain(c.text, options: ExplanationOptions(steps: c.steps, internalBatchSize: c.internal_batch_size)).first)
        #expect(e.label == ["negative", "neutral", "positive"][c.label!])
        #expect(IntegratedGradientsTests.close(e.score, c.f_input))
        #expect(e.attributions.map(\.word) == ["the", "movie", "was", "very", "good", "and", "fun"])
        #expect(e.attributions.map(\.start) == [0, 4, 10, 14, 19, 24, 28])
        #expect(e.attributions.map(\.end) == [3, 9, 13, 18, 23, 27, 31])
        #expect(e.attributions.allSatisfy { $0.segment == nil })
        for (w, expected) in zip(e.attributions, c.token_attributions[1..<8]) {
            #expect(IntegratedGradientsTests.close(w.attribution, expected), "\(w.word): \(w.attribution) vs \(expected)")
        }
        #expect(e.special.map(\.token) == ["[CLS]", "[SEP]"] && e.special.map(\.position) == [0, 8])
        #expect(e.special.allSatisfy { $0.attribution == 0 })  // the baseline keeps them: input − baseline is 0 there
        let delta = try #require(e.delta)
        #expect(IntegratedGradientsTests.close(delta, c.delta))
        let total = e.attributions.reduce(0) { $0 + $1.attribution } + e.special.reduce(0) { $0 + $1.attribution }
        #expect(abs(total - (c.f_input - c.f_baseline) - delta) < 1e-6)
        #expect(e.steps == c.steps && e.baseline == .pad && e.method == .ig)
    }

    @Test func sentencePairsKeepEachTextsOffsets() throws {
        let folders = try ExplainFolders()
        defer { folders.remove() }
        let c = try #require(try CaptumIGFixture.load().cases.first { $0.name == "pair_prob_20" })
        let tokenizer = try Tokenizer.load(directory: folders.classifier)
        let enc = tokenizer.encode(c.text, pair: c.pair)
        #expect(enc.ids == c.ids && enc.typeIDs == c.type_ids && enc.specialTokensMask == c.special)
        let explainer = try TextExplainer(directory: folders.classifier)
        let e = try #require(try explainer.explain(c.text, pair: c.pair, options: ExplanationOptions(steps: c.steps)).first)
        #expect(e.attributions.map(\.word) == ["the", "film", "is", "great", "mary", "loved", "the", "story"])
        #expect(e.attributions.map { $0.segment ?? -1 } == [0, 0, 0, 0, 1, 1, 1, 1])
        #expect(e.attributions[4].start == 0 && e.attributions[5].start == 5 && e.attributions[5].end == 10)
        // "loved" is two pieces; its attribution is their sum.
        let words = TextWord.words(of: enc, text: c.text, pair: c.pair)
        for (w, word) in zip(e.attributions, words) {
            let expected = word.positions.reduce(0.0) { $0 + c.token_attributions[$1] }
            #expect(IntegratedGradientsTests.close(w.attribution, expected), "\(w.word): \(w.attribution) vs \(expected)")
        }
        #expect(words[5].positions.count == 2)
        #expect(e.special.map(\.position) == [0, 5, 11])
        #expect(IntegratedGradientsTests.close(try #require(e.delta), c.delta))
    }

    /// The class probability of one input through the differentiable forward pass, row by row.
    static func probability(_ classifier: BertForSequenceClassification, ids: [Int], label: Int) throws -> Double {
        try withoutGradient {
            let logits = try classifier.logits(BertInput(batchSize: 1, sequenceLength: ids.count, inputIDs: ids))
            return Double(logits.softmax(axis: -1).scalars[label])
        }
    }

    @Test(arguments: [OcclusionToken.mask, .pad])
    func occlusionEqualsDirectComputation(_ occluder: OcclusionToken) throws {
        let folders = try ExplainFolders()
        defer { folders.remove() }
        let text = "john hated the boring plot."
        let explainer = try TextExplainer(directory: folders.classifier)
        let e = try #require(try explainer.explain(text, options: ExplanationOptions(method: .occlusion, occluder: occluder)).first)
        guard case .classifier(let task) = explainer.model else { throw ExplanationError.noWords }
        let enc = task.tokenizer.encode(text)
        let label = try #require(task.labels.id(of: e.label))
        let replacement = occluder == .mask ? try #require(task.tokenizer.tokenID(for: "[MASK]")) : 0
        #expect(e.occluder == (occluder == .mask ? "[MASK]" : "[PAD]"))
        let full = try Self.probability(task.classifier, ids: enc.ids, label: label)
        #expect(abs(e.output - full) < 1e-5 && abs(e.score - full) < 1e-5)
        let words = TextWord.words(of: enc, text: text, pair: nil)
        #expect(e.attributions.map(\.word) == ["john", "hated", "the", "boring", "plot", "."])
        #expect(words.count == e.attributions.count)
        for (w, word) in zip(e.attributions, words) {
            var ids = enc.ids
            for p in word.positions { ids[p] = replacement }
            let drop = full - (try Self.probability(task.classifier, ids: ids, label: label))
            #expect(abs(w.attribution - drop) < 1e-5, "\(w.word): \(w.attribution) vs direct \(drop)")
        }
        #expect(e.delta == nil && e.special.isEmpty && e.method == .occlusion)
        #expect(e.attributions.contains { abs($0.attribution) > 1e-4 })
    }

    @Test func explicitLabelAndUnknownLabel() throws {
        let folders = try ExplainFolders()
        defer { folders.remove() }
        let explainer = try TextExplainer(directory: folders.classifier)
        let e = try #require(try explainer.explain("good film", options: ExplanationOptions(steps: 8, label: "negative")).first)
        #expect(e.label == "negative")
        #expect(throws: ExplanationError.unknownLabel("joy", known: ["negative", "neutral", "positive"])) {
            try explainer.explain("good film", options: ExplanationOptions(label: "joy"))
        }
        #expect(throws: ExplanationError.noWords) { try explainer.explain("   ") }
    }

    @Test func taggerExplainsEachPredictedEntity() throws {
        let folders = try ExplainFolders()
        defer { folders.remove() }
        let explainer = try TextExplainer(directory: folders.tagger)
        guard case .tagger(let task) = explainer.model else { throw ExplanationError.noWords }
        let text = "john smith visited paris and met mary in london"
        let words = FineTunedModel.words(in: text, splitting: .whitespace)
        let encoded = task.encode(words: words.map(\.text), tags: nil, line: 0)
        let tags = try task.predictWords([encoded])[0]
        let entities = TaggedEntity.group(tags, labels: task.labels)
        let explanations = try explainer.explain(text, options: ExplanationOptions(steps: 16))
        #expect(explanations.count == entities.count)
        #expect(!explanations.isEmpty, "the tiny tagger predicts no entity in this text; pick another")
        let logits = try withoutGradient {
            try task.tagger.logits(BertInput(batchSize: 1, sequenceLength: encoded.ids.count, inputIDs: encoded.ids))
        }
        let c = task.labels.count
        for (e, entity) in zip(explanations, entities) {
            #expect(e.label == entity.type)
            let expected = entity.words.reduce(0.0) { $0 + Double(logits.scalars[encoded.firstPiece[$1.word]! * c + $1.tag]) }
            #expect(abs(e.output - expected) < 1e-4, "\(e.label): F \(e.output) vs \(expected)")
            let span = try #require(e.entity)
            #expect(span.start == words[entity.words.first!.word].start && span.end == words[entity.words.last!.word].end)
            #expect(e.attributions.map(\.word) == words.map(\.text))
            #expect(abs(try #require(e.delta)) < 1e-2)
            #expect(e.special.map(\.token) == ["[CLS]", "[SEP]"])
        }
    }

    @Test func entityGroupingFollowsIOB2() {
        let labels = LabelSet(orderedLabels: ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"])
        let tags: [(Int, Float)?] = [(1, 0.9), (2, 0.7), (0, 0.9), (4, 0.5), nil, (3, 0.8), (2, 0.6)]
        let entities = TaggedEntity.group(tags, labels: labels)
        #expect(entities.map(\.type) == ["PER", "LOC", "LOC", "PER"])
        #expect(entities.map { $0.words.map(\.word) } == [[0, 1], [3], [5], [6]])
        #expect(entities[0].words.map(\.tag) == [1, 2])
        #expect(abs(entities[0].score - 0.8) < 1e-6)
    }
}

/// The HTML/SVG view.
@Suite struct ExplanationHTMLTests {
    @Test func pageShadesWordsBySignAndSizeAndEscapes() {
        let e = Explanation(
            label: "positive", score: 0.9, method: .ig,
            attributions: [
                WordAttribution(word: "good", start: 0, end: 4, attribution: 0.5),
                WordAttribution(word: "<b>", start: 5, end: 8, attribution: -0.25),
            ], special: [SpecialTokenAttribution(token: "[CLS]", position: 0, attribution: 0)], delta: 1e-4, output: 0.9,
            entity: nil, steps: 50, baseline: .pad, occluder: nil)
        let html = ExplanationHTML.page([e], text: "good <b> film")
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("</html>"))
        #expect(html.contains("background:rgba(22,163,74,0.850)\" title=\"0.5\">good</span>"))
        #expect(html.contains("background:rgba(220,38,38,0.425)\" title=\"-0.25\">&lt;b&gt;</span> film</p>"))
        #expect(!html.contains("<b>") && !html.contains("<script") && !html.contains("http://www.w3.org/1999"))
        #expect(html.contains("<svg") && html.components(separatedBy: "<rect").count == 3)
        #expect(html.contains("50 steps, pad baseline, convergence delta 0.0001"))
    }
}
