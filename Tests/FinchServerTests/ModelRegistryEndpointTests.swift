import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ModelRegistryEndpointTests {
    @Test func listRegisterAndActivateVersions() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let embedderPath = fixture.configuration.models[0].path
        try await fixture.app().test(.router) { client in
            var r = try await client.send(.get, "/v1/models", key: fixture.readKey)
            #expect(r.status == .ok)
            var models = try #require(try r.object()["models"] as? [[String: Any]])
            #expect(models.map { $0["name"] as? String } == ["mini", "ner", "sentiment"])
            #expect(models.map { $0["kind"] as? String } == ["embedder", "tagger", "classifier"])
            #expect(models[0]["dimension"] as? Int == 32)
            #expect(models[0]["max_length"] as? Int == 64)
            #expect(models[2]["labels"] as? [String] == ["negative", "neutral", "positive"])
            #expect(models[0]["active_version"] as? Int == 1)

            r = try await client.send(.post, "/v1/models", key: fixture.adminKey, json: ["name": "mini", "path": embedderPath])
            #expect(r.status == .created)
            #expect(try r.object()["version"] as? Int == 2)
            #expect(try r.object()["kind"] as? String == "embedder")
            r = try await client.send(.post, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": ["x"]])
            #expect(try r.object()["version"] as? Int == 2)

            r = try await client.send(.post, "/v1/models/mini/versions/1/activate", key: fixture.adminKey)
            #expect(r.status == .ok)
            r = try await client.send(.get, "/v1/models", key: fixture.readKey)
            models = try #require(try r.object()["models"] as? [[String: Any]])
            #expect(models[0]["active_version"] as? Int == 1)
            let versions = try #require(models[0]["versions"] as? [[String: Any]])
            #expect(versions.map { $0["active"] as? Bool } == [true, false])

            r = try await client.send(.post, "/v1/models/mini/versions/9/activate", key: fixture.adminKey)
            #expect(r.status == .notFound)
            #expect(try r.apiError().message == "model \"mini\" has no version 9")
            r = try await client.send(.post, "/v1/models", key: fixture.adminKey, json: ["name": "bad", "path": fixture.root.path])
            #expect(r.status == .badRequest)
            let error = try r.apiError()
            #expect(error.field == "path")
            #expect(error.message.contains("missing config.json"))
            r = try await client.send(.post, "/v1/models", key: fixture.adminKey, json: ["name": "bad name!", "path": embedderPath])
            #expect(try r.apiError().field == "name")
        }
    }

    @Test func activatingUnderLoadLosesNoRequest() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        let embedderPath = fixture.configuration.models[0].path
        try await fixture.app().test(.live) { client in
            let statuses = try await withThrowingTaskGroup(of: [HTTPResponse.Status].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var seen: [HTTPResponse.Status] = []
                        for i in 0..<25 {
                            let r = try await client.send(
                                .post, "/v1/embed", key: fixture.readKey, json: ["model": "mini", "inputs": ["text \(i)"]])
                            seen.append(r.status)
                        }
                        return seen
                    }
                }
                group.addTask {
                    var seen: [HTTPResponse.Status] = []
                    for _ in 0..<3 {
                        seen.append(
                            try await client.send(.post, "/v1/models", key: fixture.adminKey, json: ["name": "mini", "path": embedderPath])
                                .status)
                        seen.append(try await client.send(.post, "/v1/models/mini/versions/1/activate", key: fixture.adminKey).status)
                    }
                    return seen
                }
                var all: [HTTPResponse.Status] = []
                for try await s in group { all += s }
                return all
            }
            #expect(statuses.count == 106)
            #expect(statuses.allSatisfy { $0 == .ok || $0 == .created }, "\(statuses.filter { $0 != .ok && $0 != .created })")
        }
    }
}
