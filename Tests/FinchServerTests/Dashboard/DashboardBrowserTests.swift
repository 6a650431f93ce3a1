import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The dashboard in a real headless Chromium (Debian's chromium + chromium-driver, over WebDriver)
/// against the live app with the tiny models: every page loads without console errors, a wrong key
/// is refused, sign-in works, the playground answers for each task, and each page's screenshot is
/// written to `.build/test-artifacts/dashboard/`.
@Suite(.serialized) struct DashboardBrowserTests {
    static let artifacts = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/test-artifacts/dashboard")

    @Test(.timeLimit(.minutes(10))) func pagesSignInAndPlaygroundInHeadlessChromium() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let app = try await fixture.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await Self.seedCollection(client, key: fixture.writeKey)
            let driver = try await ChromeDriver.start()
            defer { driver.stop() }
            let browser = try await WebDriverSession.start(driver: driver.url, browser: driver.browser)
            do {
                try await Self.browse(browser, base: "http://127.0.0.1:\(port)", key: fixture.readKey)
                try await browser.delete()
            } catch {
                _ = try? await Self.capture(browser, "failure")
                try? await browser.delete()
                throw error
            }
        }
    }

    static func seedCollection(_ client: some TestClientProtocol, key: String) async throws {
        let created = try await client.send(.put, "/v1/collections/faq", key: key, json: ["model": "mini"])
        #expect(created.status == .created)
        let entries: [[String: String]] = [
            ["id": "1", "text": "How do I reset my password?"], ["id": "2", "text": "My mouse is not responding."],
            ["id": "3", "text": "What is a computer?"],
        ]
        let added = try await client.send(.post, "/v1/collections/faq/entries", key: key, json: ["entries": entries])
        #expect(added.status == .ok)
    }

    static func browse(_ browser: WebDriverSession, base: String, key: String) async throws {
        // Signed out: the sign-in form, and the health line reads /readyz without a key.
        try await browser.navigate(to: base + "/")
        _ = try await browser.element("#sign-in:not([hidden]) #api-key", timeout: .seconds(60))
        _ = try await browser.waitUntil("health line", script: "return document.getElementById('health').textContent === 'ready'")
        try await capture(browser, "sign-in")
        try await expectCleanConsole(browser, "sign-in page")

        // A wrong key is refused with a message (the browser logs the 401 it got, nothing else).
        let input = try await browser.element("#api-key")
        try await browser.type("finch_nosuchkey_0000", into: input)
        try await browser.click(try await browser.element("#sign-in-form button"))
        let refused = try await browser.waitUntil(
            "refusal", script: "const e = document.getElementById('sign-in-error'); return !e.hidden && e.textContent")
        #expect(refused as? String == "This key is not valid.")
        try await capture(browser, "sign-in-refused")
        let refusals = try await browser.browserLog()
        #expect(!refusals.isEmpty && refusals.allSatisfy { $0.message.contains("/v1/models") && $0.message.contains("401") }, "\(refusals)")

        // The right key: the models page lists the three tiny models with their kinds.
        try await browser.clear(input)
        try await browser.type(key, into: input)
        try await browser.click(try await browser.element("#sign-in-form button"))
        let models = try await browser.element("section.model[data-model='mini']")
        #expect(try await browser.text(of: models).contains("embedder"))
        let page = try await browser.text(of: try await browser.element("#page"))
        #expect(page.contains("sentiment") && page.contains("classifier") && page.contains("ner") && page.contains("tagger"))
        #expect(try await browser.execute("return sessionStorage.getItem('finch.apiKey')") as? String == key)
        try await capture(browser, "models")
        try await expectCleanConsole(browser, "models page")

        // The playground answers for each task.
        try await browser.click(try await browser.element("#nav-playground"))
        _ = try await browser.element("#playground-form")
        try await runPlayground(browser, task: "embed", expecting: "#playground-json", contains: "\"embeddings\"")
        try await capture(browser, "playground-embed")
        try await runPlayground(browser, task: "classify", expecting: ".scorebar", contains: "\"label\"")
        try await capture(browser, "playground-classify")
        try await runPlayground(browser, task: "entities", expecting: "#playground-json", contains: "\"results\"")
        try await capture(browser, "playground-entities")
        try await runPlayground(browser, task: "search", expecting: "#playground-result ol li", contains: "\"collection\": \"faq\"")
        try await capture(browser, "playground-search")
        try await expectCleanConsole(browser, "playground")

        // Metrics: the routes just called appear with their request counts.
        try await browser.click(try await browser.element("#nav-metrics"))
        _ = try await browser.element("#metrics-routes tr[data-route='/v1/embed']", timeout: .seconds(30))
        _ = try await browser.element("#metrics-routes tr[data-route='/v1/search']")
        _ = try await browser.waitUntil("a rate sample", script: "return document.querySelectorAll('svg.spark polyline').length > 0")
        try await capture(browser, "metrics")
        try await expectCleanConsole(browser, "metrics page")

        // Signing out forgets the key.
        try await browser.click(try await browser.element("#sign-out"))
        _ = try await browser.element("#sign-in:not([hidden])")
        #expect(try await browser.execute("return sessionStorage.getItem('finch.apiKey')") is NSNull)
        try await expectCleanConsole(browser, "sign-out")
    }

    /// Chooses a task, runs it with its example input and waits for the answer.
    static func runPlayground(_ browser: WebDriverSession, task: String, expecting selector: String, contains text: String) async throws {
        _ = try await browser.execute(
            """
            const select = document.getElementById('playground-task');
            select.value = arguments[0];
            select.dispatchEvent(new Event('change'));
            """, [task])
        try await browser.click(try await browser.element("#playground-run"))
        _ = try await browser.element("#playground-json", timeout: .seconds(60))
        _ = try await browser.element(selector)
        let json = try await browser.text(of: try await browser.element("#playground-json"))
        #expect(json.contains(text), "\(task): \(json.prefix(300))")
        let errors = try await browser.execute("return document.querySelectorAll('#playground-error').length") as? Int
        #expect(errors == 0, "\(task) showed an error")
    }

    static func expectCleanConsole(_ browser: WebDriverSession, _ what: String) async throws {
        let problems = try await browser.browserLog().filter { $0.level == "SEVERE" || $0.level == "WARNING" }
        #expect(problems.isEmpty, "console of \(what): \(problems)")
    }

    @discardableResult
    static func capture(_ browser: WebDriverSession, _ name: String) async throws -> URL {
        let url = artifacts.appendingPathComponent("\(name).png")
        let png = try await browser.screenshot()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(name) is not a PNG")
        try png.write(to: url)
        return url
    }
}
