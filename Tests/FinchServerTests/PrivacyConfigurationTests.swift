import FinchServer
import Foundation
import Testing

/// The privacy settings: `default_consent` (on by default), `erasure_key`, `redact_stored_text`.
@Suite struct PrivacyConfigurationTests {
    @Test func defaultsAreOn() throws {
        let c = try ServerConfiguration.load()
        #expect(c.defaultConsent)
        #expect(c.redactStoredText)
        #expect(c.erasureKey == nil)
    }

    @Test func settingsFromEnvironmentAndFlags() throws {
        var c = try ServerConfiguration.load(environment: ["FINCH_DEFAULT_CONSENT": "no", "FINCH_ERASURE_KEY": "0123456789abcdef0123"])
        #expect(!c.defaultConsent)
        #expect(c.erasureKey == "0123456789abcdef0123")
        c = try ServerConfiguration.load(
            environment: ["FINCH_DEFAULT_CONSENT": "no"], flags: ["default-consent": "true", "redact-stored-text": "off"])
        #expect(c.defaultConsent)
        #expect(!c.redactStoredText)
        #expect(throws: ConfigurationError(key: "--default-consent", message: "\"sometimes\" is not true or false")) {
            try ServerConfiguration.load(flags: ["default_consent": "sometimes"])
        }
        // A short key is refused without echoing it.
        do {
            _ = try ServerConfiguration.load(environment: ["FINCH_ERASURE_KEY": "short"])
            Issue.record("a 5-character erasure key was accepted")
        } catch let error as ConfigurationError {
            #expect(error.key == "FINCH_ERASURE_KEY")
            #expect(!error.description.contains("short\""))
        }
    }
}
