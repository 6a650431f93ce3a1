import FinchApps
import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The feedback list and the model versions page in headless Chromium: stored
/// corrections are listed as stored (redacted), and a retrained version shows
/// both versions' evaluations side by side; the retrain button starts a job
/// whose progress line ends in its outcome.
@Suite(.serialized) struct FeedbackPagesBrowserTests {
    @Test(.timeLimit(.minutes(10))) func feedbackListAndVersionsWithReportsInHeadlessChromium() async throws {
        let trainingRoot = try ServerFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: trainingRoot) }
        let trained = try RetrainingTests.trainedClassifier(in: trainingRoot)
        let fixture = try await ServerFixture { config in
            config.models = [.init(name: "sentiment", path: trained.path)]
            config.retrain = RetrainingTests.options
            config.retrain.margin = 1
        }
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: DashboardBrowserTests.artifacts, withIntermediateDirectories: true)
        try await fixture.app().test(.live) { client in
            let port = try #require(client.port)
            for (text, label) in [("john and mary", "pos"), ("mail me at kim.doe@example.com", "neg")] {
                let r = try await client.send(
                    .post, "/v1/feedback", key: fixture.writeKey, json: ["model": "sentiment", "input": text, "label": label])
                #expect(r.status == .created)
            }
            let started = try await client.send(.post, "/v1/models/sentiment/retrain", key: fixture.adminKey)
            let id = try #require(try started.object()["id"] as? String)
            var state = "running"
            let deadline = Date().addingTimeInterval(300)
            while state == "running" && Date() < deadline {
                try await Task.sleep(nanoseconds: 200_000_000)
                state = try await client.send(.get, "/v1/jobs/\(id)", key: fixture.readKey).object()["state"] as? String ?? "?"
            }
            #expect(state == "succeeded")

            let driver = try await ChromeDriver.start()
            defer { driver.stop() }
            let browser = try await WebDriverSession.start(driver: driver.url, browser: driver.browser)
            do {
                try await browser.navigate(to: "http://127.0.0.1:\(port)/")
                let input = try await browser.element("#sign-in:not([hidden]) #api-key", timeout: .seconds(60))
                try await browser.type(fixture.adminKey, into: input)
                try await browser.click(try await browser.element("#sign-in-form button"))
                _ = try await browser.element("section.model[data-model='sentiment']")

                // Feedback: both corrections, the e-mail address redacted.
                try await browser.click(try await browser.element("#nav-feedback"))
                _ = try await browser.waitUntil(
                    "two feedback rows", script: "return document.querySelectorAll('#feedback-rows tr.feedback').length === 2")
                let rows = try await browser.text(of: try await browser.element("#feedback-rows"))
                #expect(rows.contains("john and mary") && rows.contains("sentiment") && rows.contains("pos"))
                #expect(!rows.contains("kim.doe@example.com"), "\(rows)")
                try await DashboardBrowserTests.capture(browser, "feedback")
                try await DashboardBrowserTests.expectCleanConsole(browser, "feedback page")

                // Versions: v2's report beside v1's figures.
                try await browser.click(try await browser.element("#nav-versions"))
                let report = try await browser.element("section.versions[data-model='sentiment'] section.report[data-version='2']")
                let text = try await browser.text(of: report)
                #expect(text.contains("v1 (old)") && text.contains("v2 (new)") && text.contains("held-out accuracy"))
                #expect(text.contains("feedback accuracy") && text.contains("activated"))
                try await DashboardBrowserTests.capture(browser, "versions")

                // The retrain button starts a job and follows it to its end.
                try await browser.click(try await browser.element("section.versions[data-model='sentiment'] button.retrain"))
                _ = try await browser.waitUntil(
                    "the job's outcome", timeout: .seconds(300),
                    script: "return document.querySelectorAll('section.versions .jobs p.succeeded').length >= 2")
                // The page refreshes: v3 is listed, inactive, with its report (nothing left to learn, so not activated).
                let third = try await browser.element(
                    "section.versions[data-model='sentiment'] section.report[data-version='3']", timeout: .seconds(30))
                #expect(try await browser.text(of: third).contains("not activated"))
                try await DashboardBrowserTests.capture(browser, "versions-retrained")
                try await DashboardBrowserTests.expectCleanConsole(browser, "versions page")
                try await browser.delete()
            } catch {
                _ = try? await DashboardBrowserTests.capture(browser, "feedback-pages-failure")
                try? await browser.delete()
                throw error
            }
        }
    }
}
