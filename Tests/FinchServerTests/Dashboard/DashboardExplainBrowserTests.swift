import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The playground's "Explain" button in headless Chromium: for the tiny classifier it shows the
/// example text with one shaded span per word (green for a positive attribution, red for a
/// negative one, the JSON beside it), and it is offered only for classifiers and taggers.
@Suite(.serialized) struct DashboardExplainBrowserTests {
    @Test(.timeLimit(.minutes(10))) func explainButtonShadesTheWords() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: DashboardBrowserTests.artifacts, withIntermediateDirectories: true)
        let app = try await fixture.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let driver = try await ChromeDriver.start()
            defer { driver.stop() }
            let browser = try await WebDriverSession.start(driver: driver.url, browser: driver.browser)
            do {
                try await Self.explain(browser, base: "http://127.0.0.1:\(port)", key: fixture.readKey)
                try await browser.delete()
            } catch {
                _ = try? await DashboardBrowserTests.capture(browser, "explain-failure")
                try? await browser.delete()
                throw error
            }
        }
    }

    static func explain(_ browser: WebDriverSession, base: String, key: String) async throws {
        try await browser.navigate(to: base + "/")
        let input = try await browser.element("#sign-in:not([hidden]) #api-key", timeout: .seconds(60))
        try await browser.type(key, into: input)
        try await browser.click(try await browser.element("#sign-in-form button"))
        _ = try await browser.element("section.model[data-model='mini']", timeout: .seconds(30))
        try await browser.click(try await browser.element("#nav-playground"))
        _ = try await browser.element("#playground-form")
        func choose(_ task: String) async throws {
            _ = try await browser.execute(
                """
                const select = document.getElementById('playground-task');
                select.value = arguments[0];
                select.dispatchEvent(new Event('change'));
                """, [task])
        }
        // Not offered for an embedder.
        try await choose("embed")
        #expect(try await browser.execute("return document.getElementById('playground-explain').hidden") as? Bool == true)
        try await choose("classify")
        #expect(try await browser.execute("return document.getElementById('playground-explain').hidden") as? Bool == false)
        _ = try await browser.execute("document.getElementById('playground-input').value = 'the movie was very good'")
        try await browser.click(try await browser.element("#playground-explain"))
        _ = try await browser.element("#playground-explanation span.attribution", timeout: .seconds(60))
        let words =
            try await browser.execute(
                """
                return Array.from(document.querySelectorAll('#playground-explanation span.attribution')).map((span) =>
                  [span.textContent, Number(span.dataset.attribution), getComputedStyle(span).backgroundColor]);
                """) as? [[Any]]
        let rows = try #require(words)
        #expect(rows.map { $0[0] as? String } == ["the", "movie", "was", "very", "good"])
        for row in rows {
            let value = try #require(row[1] as? Double), colour = try #require(row[2] as? String)
            #expect(colour.hasPrefix(value >= 0 ? "rgba(22, 163, 74" : "rgba(220, 38, 38"), "\(row)")
        }
        // The largest attribution is shaded at full strength.
        #expect(rows.contains { ($0[2] as? String)?.hasSuffix(", 0.85)") == true })
        let paragraph = try await browser.text(of: try await browser.element("#playground-explanation p.explanation-text"))
        #expect(paragraph == "the movie was very good")
        let json = try await browser.text(of: try await browser.element("#playground-json"))
        #expect(json.contains("\"attributions\"") && json.contains("\"delta\""))
        #expect(try await browser.execute("return document.querySelectorAll('#playground-error').length") as? Int == 0)
        try await DashboardBrowserTests.capture(browser, "playground-explain")
        try await DashboardBrowserTests.expectCleanConsole(browser, "playground explain")
    }
}
