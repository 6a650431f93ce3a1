import FinchHubTestSupport
import FinchTestSupport
import Foundation
import Testing

/// `--model hf:ORG/NAME` through the CLI, against the fake hub on 127.0.0.1.
@Suite struct HubCLITests {
    static func embedding(_ out: String) throws -> [Double] {
        let line = try #require(out.split(separator: "\n").first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return try #require(object["embedding"] as? [Double])
    }

    @Test func embedDownloadsOnceThenWorksFromTheCacheOffline() throws {
        let hub = try FakeHub()
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("finch-hub-cli-\(UUID().uuidString)")
        defer { hub.stop(); try? FileManager.default.removeItem(at: cache) }
        let environment = ["FINCH_HUB_ENDPOINT": hub.endpoint.absoluteString, "FINCH_CACHE": cache.path]
        let model = "hf:\(FakeHub.repository)"

        let (s1, out1, err1) = try CLI.run(["embed", "--model", model], stdin: "hello world\n", environment: environment)
        #expect(s1 == 0, "\(err1)")
        #expect(err1.contains("downloading model.safetensors"), "\(err1)")
        #expect(err1.contains("verified model.safetensors"), "\(err1)")
        let first = try Self.embedding(out1)
        #expect(first.count == 32)
        let snapshot = cache.appendingPathComponent("hub/models--finch-test--tiny-bert/snapshots/\(FakeHub.commit)")
        #expect(FileManager.default.fileExists(atPath: snapshot.appendingPathComponent("vocab.txt").path))

        // The hub is gone: the complete cached snapshot answers, with the same numbers.
        hub.stop()
        let (s2, out2, err2) = try CLI.run(["embed", "--model", model], stdin: "hello world\n", environment: environment)
        #expect(s2 == 0, "\(err2)")
        #expect(err2.contains("using the cached snapshot"), "\(err2)")
        #expect(!err2.contains("downloading"))
        #expect(try Self.embedding(out2) == first)
    }

    @Test func unknownRepositoryIsAnErrorNamingIt() throws {
        let hub = try FakeHub()
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("finch-hub-cli-\(UUID().uuidString)")
        defer { hub.stop(); try? FileManager.default.removeItem(at: cache) }
        let environment = ["FINCH_HUB_ENDPOINT": hub.endpoint.absoluteString, "FINCH_CACHE": cache.path]
        let (status, out, err) = try CLI.run(["embed", "--model", "hf:finch-test/missing"], stdin: "hello\n", environment: environment)
        #expect(status != 0)
        #expect(out.isEmpty)
        #expect(err.contains("finch-test/missing"), "\(err)")
    }
}
