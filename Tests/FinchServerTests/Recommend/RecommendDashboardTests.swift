import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The dashboard's Recommendations page in headless Chromium against the live app serving the test
/// recommender: a new visitor starts on the popular list, adding events moves them to the cold-start
/// list and then to a personal list with reasons, and the catalogue shows an item's similar items.
@Suite(.serialized) struct RecommendDashboardTests {
    @Test(.timeLimit(.minutes(10))) func explorerAndCatalogueInHeadlessChromium() async throws {
        let (fixture, _) = try await RecommendTestData.fixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: DashboardBrowserTests.artifacts, withIntermediateDirectories: true)
        let app = try await fixture.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let driver = try await ChromeDriver.start()
            defer { driver.stop() }
            let browser = try await WebDriverSession.start(driver: driver.url, browser: driver.browser)
            do {
                try await Self.explore(browser, base: "http://127.0.0.1:\(port)", key: fixture.writeKey)
                try await browser.delete()
            } catch {
                _ = try? await DashboardBrowserTests.capture(browser, "recommend-failure")
                try? await browser.delete()
                throw error
            }
        }
    }

    /// The "Catalogue and coverage" charts on `RecommendStatsTests`' hand-counted recommender, and again after an event.
    @Test(.timeLimit(.minutes(10))) func catalogueAndCoverageChartsInHeadlessChromium() async throws {
        let (fixture, dir) = try await RecommendStatsTests.fixture()
        defer {
            fixture.remove()
            try? FileManager.default.removeItem(at: dir)
        }
        try FileManager.default.createDirectory(at: DashboardBrowserTests.artifacts, withIntermediateDirectories: true)
        let app = try await fixture.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let driver = try await ChromeDriver.start()
            defer { driver.stop() }
            let browser = try await WebDriverSession.start(driver: driver.url, browser: driver.browser)
            do {
                try await Self.charts(browser, base: "http://127.0.0.1:\(port)", key: fixture.writeKey)
                // A second version (u8 viewed e f g as well) activated: the next list shows version 2, the charts follow.
                let folder = try RecommendStatsTests.modelFolder(RecommendStatsTests.training + [("u8", "efg")], in: dir, name: "tiny-2")
                let registry = ModelRegistry(store: fixture.store.models, options: BatchingOptions())
                _ = try await registry.register(name: "tiny", path: folder.path, activate: false)
                let activated = try await client.send(.post, "/v1/models/tiny/versions/2/activate", key: fixture.adminKey)
                #expect(activated.status == .ok)
                try await Self.chartsFollowTheNewVersion(browser)
                try await browser.delete()
            } catch {
                _ = try? await DashboardBrowserTests.capture(browser, "recommend-charts-failure")
                try? await browser.delete()
                throw error
            }
        }
    }

    /// Per bucket of the popularity chart: its events range, the count written over the bar / the label under it.
    static let bars = """
        return [...document.querySelectorAll('#rec-popularity-chart g.bucket')].map((g) =>
          `${g.dataset.min}-${g.dataset.max}:${g.querySelector('text.value').textContent}/${g.querySelector('text.label').textContent}`).join(' ')
        """

    static func charts(_ browser: WebDriverSession, base: String, key: String) async throws {
        try await browser.navigate(to: base + "/")
        let input = try await browser.element("#sign-in:not([hidden]) #api-key", timeout: .seconds(60))
        try await browser.type(key, into: input)
        try await browser.click(try await browser.element("#sign-in-form button"))
        try await browser.click(try await browser.element("#nav-recommend"))
        let summary = try await browser.text(of: try await browser.element("#rec-stats-summary", timeout: .seconds(30)))
        #expect(summary.contains("6 users, 7 items (7 servable), 19 events"), "\(summary)")
        #expect(try await browser.execute(Self.bars) as? String == "0-0:0/0 1-1:4/1 2-3:0/2–3 4-7:3/4–7")
        let rows = """
            return [...document.querySelectorAll('#rec-coverage-chart g.bar')].map((g) => g.dataset.key + ': ' + g.textContent).join(' | ')
            """
        let coverage = try #require(try await browser.execute(rows) as? String)
        #expect(
            coverage
                == "coverage: coverage (6 of 7 servable items)85.7 % | gini: Gini of exposure0.323 | "
                + "top-1: events held by the top 1 % of items (1)31.6 % | top-10: events held by the top 10 % of items (1)31.6 % | "
                + "top-20: events held by the top 20 % of items (2)57.9 %", "\(coverage)")
        let caption = try await browser.text(of: try await browser.element("#rec-coverage .charts figure:nth-child(2) figcaption"))
        #expect(caption.contains("top-10 lists of 6 sampled users"), "\(caption)")
        _ = try await browser.execute("document.getElementById('rec-coverage').scrollIntoView()")
        try await DashboardBrowserTests.capture(browser, "recommend-charts")

        // visitor-1 views d: a seventh user, d moves to the 2–3 bucket; the charts reload.
        try await addEvent(browser, item: "d")
        _ = try await browser.waitUntil(
            "the charts after the event", timeout: .seconds(30),
            script:
                "return (document.getElementById('rec-stats-summary')?.textContent ?? '').includes('7 users, 7 items (7 servable), 20 events')"
        )
        #expect(try await browser.execute(Self.bars) as? String == "0-0:0/0 1-1:3/1 2-3:1/2–3 4-7:3/4–7")
        _ = try await browser.execute("document.getElementById('rec-coverage').scrollIntoView()")
        try await DashboardBrowserTests.capture(browser, "recommend-charts-after-event")
        try await DashboardBrowserTests.expectCleanConsole(browser, "recommendations page charts")
    }

    /// Training rows of version 2 plus visitor-1's stored view of d: a 6, b 5, c 4, d e f g 2 each (23 events, 8 users).
    static func chartsFollowTheNewVersion(_ browser: WebDriverSession) async throws {
        try await browser.click(try await browser.element("#rec-load"))
        _ = try await browser.waitUntil(
            "the charts of version 2", timeout: .seconds(30),
            script:
                "return (document.getElementById('rec-stats-summary')?.textContent ?? '').includes('version 2: 8 users, 7 items (7 servable), 23 events')"
        )
        #expect(try await browser.execute(Self.bars) as? String == "0-0:0/0 1-1:0/1 2-3:4/2–3 4-7:3/4–7")
        try await DashboardBrowserTests.expectCleanConsole(browser, "recommendations page charts after a version change")
    }

    static func source(_ browser: WebDriverSession, becomes rung: String) async throws {
        _ = try await browser.waitUntil(
            "source \(rung)", timeout: .seconds(30),
            script: "return (document.getElementById('rec-source')?.textContent ?? '').startsWith('source: \(rung) ')")
    }

    static func addEvent(_ browser: WebDriverSession, item: String, type: String = "view") async throws {
        _ = try await browser.execute(
            """
            document.getElementById('rec-item').value = arguments[0];
            document.getElementById('rec-type').value = arguments[1];
            """, [item, type])
        try await browser.click(try await browser.element("#rec-add"))
    }

    static func explore(_ browser: WebDriverSession, base: String, key: String) async throws {
        try await browser.navigate(to: base + "/")
        let input = try await browser.element("#sign-in:not([hidden]) #api-key", timeout: .seconds(60))
        try await browser.type(key, into: input)
        try await browser.click(try await browser.element("#sign-in-form button"))
        try await browser.click(try await browser.element("#nav-recommend"))
        _ = try await browser.element("#rec-form")
        try await source(browser, becomes: "popular")
        #expect(try await browser.execute("return document.querySelectorAll('#rec-list > li').length") as? Int == 10)
        #expect(try await browser.execute("return document.querySelectorAll('#rec-items tbody tr').length") as? Int == 30)
        try await DashboardBrowserTests.capture(browser, "recommend-popular")

        try await addEvent(browser, item: "i3")
        try await source(browser, becomes: "cold_start_user")
        let coldList = try await browser.text(of: try await browser.element("#rec-list"))
        #expect(coldList.contains("popular in A"), "\(coldList)")
        try await addEvent(browser, item: "i5", type: "like")
        try await addEvent(browser, item: "i7")
        try await source(browser, becomes: "personal")
        _ = try await browser.waitUntil(
            "reasons naming the history", timeout: .seconds(30),
            script: "return document.getElementById('rec-list').textContent.includes('because you liked Item')")
        let history = try await browser.text(of: try await browser.element("#rec-history"))
        #expect(history.contains("like Item 5") && history.contains("view Item 3"), "\(history)")
        try await DashboardBrowserTests.capture(browser, "recommend-personal")

        try await browser.click(try await browser.element("#rec-items button[data-item='i1']"))
        _ = try await browser.waitUntil(
            "similar items", timeout: .seconds(30), script: "return document.querySelectorAll('#rec-similar ol li').length === 5")
        #expect(try await browser.text(of: try await browser.element("#rec-similar")).contains("Similar to Item 1"))
        try await DashboardBrowserTests.capture(browser, "recommend-similar")
        try await DashboardBrowserTests.expectCleanConsole(browser, "recommendations page")
    }
}
