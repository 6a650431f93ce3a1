import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The dashboard's monitors page in headless Chromium: the trend chart of each entity with its
/// alert marked, the alert with its driving texts, a document arriving live with its entity
/// highlighted, and the rule editor naming the field of an invalid rule.
@Suite(.serialized) struct MonitorDashboardBrowserTests {
    @Test(.timeLimit(.minutes(10))) func monitorPageShowsTrendsAlertsLiveFeedAndRules() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: DashboardBrowserTests.artifacts, withIntermediateDirectories: true)
        // The buckets of the documents below close at once: the service's clock runs an hour ahead.
        let options = MonitorOptions(graceSeconds: 0.1, tickSeconds: 0.1, clock: { Date().addingTimeInterval(3600) })
        let app = try await buildApplication(
            configuration: fixture.configuration, store: fixture.store, logSink: { _ in }, monitorOptions: options)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let admin = fixture.adminKey
            var r = try await client.send(.put, "/v1/monitors/news", key: admin, json: MonitorEndpointTests.config)
            #expect(r.status == .created)
            let rule: [String: Any] = [
                "name": "busy", "entity": "ACME", "metric": "volume", "detector": "threshold", "threshold": 2, "min_count": 1,
            ]
            r = try await client.send(.post, "/v1/monitors/news/rules", key: admin, json: rule)
            #expect(r.status == .created)
            let minute = BucketWidth.minute.start(of: Date()).addingTimeInterval(-600)
            let items =
                (0..<3).map { ("a\($0)", "Acme Corp warns on quarter \($0)", minute.addingTimeInterval(Double($0))) }
                + [("g1", "GBX holds steady", minute.addingTimeInterval(120))]
            r = try await client.send(
                .post, "/v1/monitors/news/documents", key: fixture.writeKey, json: MonitorEndpointTests.documents(items))
            #expect(try r.object()["new"] as? Int == 4)
            let alerted = try await WebhookDeliveryTests.waitUntil(10) {
                let list = try await client.send(.get, "/v1/monitors/news/alerts", key: admin)
                return try (list.object()["alerts"] as? [Any])?.count == 1
            }
            #expect(alerted)

            let driver = try await ChromeDriver.start()
            defer { driver.stop() }
            let browser = try await WebDriverSession.start(driver: driver.url, browser: driver.browser)
            do {
                let base = "http://127.0.0.1:\(port)"
                try await browser.navigate(to: base + "/")
                let input = try await browser.element("#sign-in:not([hidden]) #api-key", timeout: .seconds(60))
                try await browser.type(admin, into: input)
                try await browser.click(try await browser.element("#sign-in-form button"))
                _ = try await browser.element("section.model[data-model='mini']")
                try await browser.click(try await browser.element("#nav-monitors"))

                _ = try await browser.element("figure.trend[data-entity='ACME'] svg rect.volume")
                _ = try await browser.element("figure.trend[data-entity='ACME'] g.alert-mark")
                _ = try await browser.element("figure.trend[data-entity='Globex'] polyline.negative-share")
                let alert = try await browser.text(of: try await browser.element("li.monitor-alert[data-state='open']"))
                #expect(alert.contains("ACME") && alert.contains("busy") && alert.contains("Acme Corp warns"), "\(alert)")
                _ = try await browser.element("#monitor-live[data-connected='true']")

                // A document arrives while the page is open.
                let live = MonitorEndpointTests.documents([("live1", "Analysts say ACM will recover", Date())])
                r = try await client.send(.post, "/v1/monitors/news/documents", key: fixture.writeKey, json: live)
                #expect(try r.object()["new"] as? Int == 1)
                let mark = try await browser.element("#monitor-feed li[data-id='live1'] mark.mention[data-entity='ACME']")
                #expect(try await browser.text(of: mark) == "ACM")

                // The rule editor: an invalid rule names its field; a valid one is listed.
                try await browser.type("spike", into: try await browser.element("#rule-form input[name='name']"))
                _ = try await browser.execute("document.querySelector(\"#rule-form select[name='detector']\").value = 'threshold'")
                try await browser.click(try await browser.element("#rule-form button[type='submit']"))
                let error = try await browser.element("#rule-error[data-field='threshold']:not([hidden])")
                #expect(try await browser.text(of: error).contains("threshold"))
                try await browser.type("0.5", into: try await browser.element("#rule-form input[name='threshold']"))
                try await browser.click(try await browser.element("#rule-form button[type='submit']"))
                _ = try await browser.element("tr.monitor-rule[data-name='spike']")
                try await DashboardBrowserTests.capture(browser, "monitors")
                // The one expected console error: the invalid rule's 400.
                let problems = try await browser.browserLog().filter { $0.level == "SEVERE" || $0.level == "WARNING" }
                    .filter { !($0.message.contains("/v1/monitors/news/rules/spike") && $0.message.contains("400")) }
                #expect(problems.isEmpty, "console of the monitors page: \(problems)")
                try await browser.delete()
            } catch {
                _ = try? await DashboardBrowserTests.capture(browser, "monitors-failure")
                try? await browser.delete()
                throw error
            }
        }
    }
}
