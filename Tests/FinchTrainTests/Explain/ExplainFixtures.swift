import FinchNN
import FinchTestSupport
import FinchTransformers
import Foundation

@testable import FinchTrain

/// `Tests/Fixtures/explain/ig_captum.json`, written by `Scripts/make_ig_fixture.py`.
struct CaptumIGFixture: Decodable {
    struct Case: Decodable {
        var name: String
        var model: String
        var text: String
        var pair: String?
        var steps: Int
        var internal_batch_size: Int?
        var output: String
        var label: Int?
        var terms: [[Int]]?
        var ids: [Int]
        var type_ids: [Int]
        var special: [Int]
        var baseline_ids: [Int]
        var token_attributions: [Double]
        var delta: Double
        var f_input: Double
        var f_baseline: Double
        var deltas_by_steps: [String: Double]?

        /// The target the case attributes.
        var target: AttributionTarget {
            switch output {
            case "probability": return .probability(label: label!, multiLabel: false)
            case "logit": return .logit(label: label!)
            default: return .tokenLogits(terms!.map { AttributionTarget.TokenLabel(position: $0[0], label: $0[1]) })
            }
        }
    }
    var cases: [Case]

    static func load() throws -> CaptumIGFixture {
        try JSONDecoder().decode(CaptumIGFixture.self, from: Data(contentsOf: TestSupport.fixtureURL("explain/ig_captum.json")))
    }
}

/// Fine-tuned model folders for explanation tests: the tiny random heads
/// (`tiny-bert-seqcls`, `tiny-bert-tokcls`) with the WordPiece vocabulary of
/// `tiny-bert-wordpiece`, in a temporary directory.
struct ExplainFolders {
    let root: URL
    let classifier: URL
    let tagger: URL

    init() throws {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("finch-explain-tests-\(UUID().uuidString)")
        self.root = root
        func folder(_ name: String, from fixture: String) throws -> URL {
            let dir = root.appendingPathComponent(name)
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            for file in ["config.json", "model.safetensors"] {
                try fm.copyItem(at: TestSupport.fixtureURL(fixture).appendingPathComponent(file), to: dir.appendingPathComponent(file))
            }
            for file in ["vocab.txt", "tokenizer_config.json"] {
                try fm.copyItem(
                    at: TestSupport.fixtureURL("tiny-bert-wordpiece").appendingPathComponent(file), to: dir.appendingPathComponent(file))
            }
            return dir
        }
        classifier = try folder("classifier", from: "tiny-bert-seqcls")
        tagger = try folder("tagger", from: "tiny-bert-tokcls")
    }

    func remove() {
        do { try FileManager.default.removeItem(at: root) } catch {}  // best effort clean-up of /tmp
    }
}
