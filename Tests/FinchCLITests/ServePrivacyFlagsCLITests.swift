import Foundation
import Testing

/// `finch serve --redact-stored-text` and `--default-consent` reach the running service.
@Suite(.serialized) struct ServePrivacyFlagsCLITests {
    static func dataDir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("finch-privacy-flags-\(UUID().uuidString)").path
    }

    static func admin(_ data: String) async throws -> String {
        let (status, out, err) = try await CLI.runAsync(["keys", "create", "--scope", "admin", "--data-dir", data])
        #expect(status == 0, "\(err)")
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The start-up log line that says whether stored texts are redacted.
    static func redactionLine(_ log: String) -> String? {
        log.split(separator: "\n").first { $0.contains("\"stored texts\"") }.map(String.init)
    }

    @Test func flagsTurnRedactionAndDefaultConsentOff() async throws {
        let data = Self.dataDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let key = try await Self.admin(data)
        let server = try ServeProcess(arguments: ["--data-dir", data, "--redact-stored-text", "false", "--default-consent", "false"])
        try await server.waitUntilReady()
        let line = try #require(Self.redactionLine(server.logText), "\(server.logText)")
        #expect(line.contains("\"pii_redaction\":\"off\""), "\(line)")
        let (status, body) = try await HTTP.request("GET", server.baseURL + "/v1/users/u1/consent", key: key)
        #expect(status == 200)
        let consent = try #require(body as? [String: Any])
        #expect(consent["personalization"] as? Bool == false)
        #expect(consent["store_texts_for_training"] as? Bool == false)
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)
    }

    @Test func defaultsRedactAndGrantConsent() async throws {
        let data = Self.dataDir()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let key = try await Self.admin(data)
        let server = try ServeProcess(arguments: ["--data-dir", data])
        try await server.waitUntilReady()
        let line = try #require(Self.redactionLine(server.logText), "\(server.logText)")
        #expect(line.contains("\"pii_redaction\":\"on\""), "\(line)")
        let (_, body) = try await HTTP.request("GET", server.baseURL + "/v1/users/u1/consent", key: key)
        #expect((body as? [String: Any])?["personalization"] as? Bool == true)
        server.signal(SIGTERM)
        #expect(try await server.waitForExit() == 0)
    }

    @Test func badFlagValueStopsStartUpNamingTheFlag() throws {
        let (status, _, err) = try CLI.run(["serve", "--data-dir", Self.dataDir(), "--redact-stored-text", "maybe"])
        #expect(status != 0)
        #expect(err.contains("--redact-stored-text") && err.contains("not true or false"), "\(err)")
    }
}
