import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The runs page in headless Chromium: the recorded runs listed newest first (a lost run failed),
/// and two of them compared: the side-by-side table and the curves as an image.
@Suite(.serialized) struct RunsPageBrowserTests {
    @Test(.timeLimit(.minutes(5))) func runsAreListedAndComparedInHeadlessChromium() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try RunsEndpointTests.seed(fixture.configuration.runsFolder)
        try FileManager.default.createDirectory(at: DashboardBrowserTests.artifacts, withIntermediateDirectories: true)
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            let driver = try await ChromeDriver.start()
            defer { driver.stop() }
            let browser = try await WebDriverSession.start(driver: driver.url, browser: driver.browser)
            do {
                try await browser.navigate(to: "http://127.0.0.1:\(port)/")
                let input = try await browser.element("#sign-in:not([hidden]) #api-key", timeout: .seconds(60))
                try await browser.type(fixture.readKey, into: input)
                try await browser.click(try await browser.element("#sign-in-form button"))
                _ = try await browser.element("section.model[data-model='sentiment']")

                try await browser.click(try await browser.element("#nav-runs"))
                _ = try await browser.waitUntil(
                    "three run rows", script: "return document.querySelectorAll('#run-rows tr.run').length === 3")
                let ids = try await browser.execute(
                    "return [...document.querySelectorAll('#run-rows tr.run')].map((r) => r.dataset.run).join(',')")
                #expect(ids as? String == "3,2,1")
                let lost = try await browser.text(of: try await browser.element("#run-rows tr.run[data-run='3']"))
                #expect(lost.contains("failed") && lost.contains("train-ner"), "\(lost)")
                let done = try await browser.text(of: try await browser.element("#run-rows tr.run[data-run='2']"))
                #expect(done.contains("finished") && done.contains("accuracy 0.7000 @ 2"), "\(done)")

                // One run ticked is not a comparison.
                try await browser.click(try await browser.element("#run-rows tr.run[data-run='1'] input.pick"))
                try await browser.click(try await browser.element("#compare-runs"))
                let alert = try await browser.element("p.error[role='alert']:not([hidden])")
                #expect(try await browser.text(of: alert).contains("two or more"))

                try await browser.click(try await browser.element("#run-rows tr.run[data-run='2'] input.pick"))
                try await browser.click(try await browser.element("#compare-runs"))
                let table = try await browser.element("#run-comparison table", timeout: .seconds(20))
                let text = try await browser.text(of: table)
                #expect(text.contains("run 1") && text.contains("run 2") && text.contains("* learning_rate"), "\(text)")
                #expect(text.contains("loss last") && text.contains("0.3000"), "\(text)")
                // The curves image decoded (a broken SVG would have no natural width).
                _ = try await browser.waitUntil(
                    "the curves drawn",
                    script:
                        "const i = document.querySelector('#run-comparison img.curves'); return !!i && i.complete && i.naturalWidth === 800"
                )
                try await DashboardBrowserTests.capture(browser, "runs")
                try await DashboardBrowserTests.expectCleanConsole(browser, "runs page")
                try await browser.delete()
            } catch {
                _ = try? await DashboardBrowserTests.capture(browser, "runs-page-failure")
                try? await browser.delete()
                throw error
            }
        }
    }
}
