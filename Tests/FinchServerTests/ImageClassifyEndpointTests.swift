import FinchApps
import FinchServer
import FinchTestSupport
import FinchTrain
import FinchVision
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/classify-image` with an image classifier in the registry: a LeNet with seeded random
/// weights on 8×8 gray digits, whose answers are checked against the library's own `classify`.
@Suite struct ImageClassifyEndpointTests {
    static let classes = ["0", "1", "7"]

    static func makeClassifier(at dir: URL) throws -> ImageClassifier {
        let config = ImageClassifierConfig(
            architecture: .lenet, classes: classes,
            preprocessing: ImagePreprocessing(colorMode: .gray, height: 8, width: 8, mean: [0.3], std: [0.4]))
        let classifier = ImageClassifier(config: config, seed: 9)
        try classifier.save(to: dir)
        return try ImageClassifier.load(dir)
    }

    static func digit(_ path: String) throws -> Data { try Data(contentsOf: TestSupport.fixtureURL("images/digits-tiny/" + path)) }

    static func post(_ client: some TestClientProtocol, _ f: ServerFixture, _ body: String) async throws -> (
        HTTPResponse.Status, [String: Any]
    ) {
        try await client.execute(
            uri: "/v1/classify-image", method: .post,
            headers: [.authorization: "Bearer \(f.readKey)", .contentType: "application/json"], body: ByteBuffer(string: body)
        ) { response in
            let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
            return (response.status, object)
        }
    }

    @Test func classifiesBase64ImagesAsTheLibraryDoes() async throws {
        let folder = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dir = folder.appendingPathComponent("digits")
        let classifier = try Self.makeClassifier(at: dir)
        #expect(try ModelKind.detect(folder: dir) == .imageClassifier)
        let fixture = try await ServerFixture { $0.models.append(.init(name: "digits", path: dir.path)) }
        defer { fixture.remove() }
        let files = ["dev/0/0078.png", "dev/7/0081.png"]
        let expected = try classifier.classify(files: files.map { TestSupport.fixtureURL("images/digits-tiny/" + $0).path })
        // A JPEG too: the photo fixture, converted to gray and resized to 8×8 by the model.
        let photo = try Data(contentsOf: TestSupport.fixtureURL("images/photo420.jpg"))
        let photoExpected = try classifier.classify(files: [TestSupport.fixtureURL("images/photo420.jpg").path])
        let images = try files.map { try Self.digit($0).base64EncodedString() } + [photo.base64EncodedString()]
        let body = #"{"model":"digits","top_k":3,"images":[\#(images.map { "\"\($0)\"" }.joined(separator: ","))]}"#
        let app = try await fixture.app()
        try await app.test(.router) { client in
            let (status, json) = try await Self.post(client, fixture, body)
            #expect(status == .ok, "\(json)")
            #expect(json["model"] as? String == "digits")
            let results = try #require(json["results"] as? [[[String: Any]]])
            try #require(results.count == 3)
            for (row, prediction) in zip(results, expected + photoExpected) {
                #expect(row.count == 3)
                #expect(row[0]["label"] as? String == prediction.label)
                let scores = Dictionary(uniqueKeysWithValues: row.map { ($0["label"] as! String, $0["score"] as! Double) })
                for (label, p) in prediction.scores { #expect(abs(scores[label]! - p) < 1e-6) }
                #expect(abs(scores.values.reduce(0, +) - 1) < 1e-5)
            }

            // A corrupt image is a 400 naming its index; text models are the wrong kind.
            let bad = try Data(contentsOf: TestSupport.fixtureURL("images/bad-truncated.png")).base64EncodedString()
            let (s2, j2) = try await Self.post(client, fixture, #"{"model":"digits","images":["\#(images[0])","\#(bad)"]}"#)
            #expect(s2 == .badRequest)
            #expect((j2["error"] as? [String: Any])?["field"] as? String == "images[1]" || "\(j2)".contains("images[1]"), "\(j2)")
            let (s3, j3) = try await Self.post(client, fixture, #"{"model":"digits","images":["%%%"]}"#)
            #expect(s3 == .badRequest, "\(j3)")
            let (s4, j4) = try await Self.post(client, fixture, #"{"model":"sentiment","images":["\#(images[0])"]}"#)
            #expect(s4 == .badRequest && "\(j4)".contains("wrong_model_kind"), "\(j4)")
        }
    }
}
