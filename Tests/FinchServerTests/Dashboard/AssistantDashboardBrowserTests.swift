import FinchServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The assistant's dashboard pages in headless Chromium against the live app with the tiny
/// embedder: the playground asks and shows answer, confidence and alternatives; a hand-off shows
/// why; the hand-off queue lists it and resolves it with the person's answer. Screenshots go to
/// `.build/test-artifacts/dashboard/`.
@Suite(.serialized) struct AssistantDashboardBrowserTests {
    @Test(.timeLimit(.minutes(10))) func playgroundAndHandoffQueueInHeadlessChromium() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: DashboardBrowserTests.artifacts, withIntermediateDirectories: true)
        let app = try await fixture.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let entries: [[String: Any]] = [
                ["id": "reset", "question": "How do I reset my password?", "answer": "Use the reset link in the sign-in page."],
                ["id": "mouse", "question": "My mouse is not responding.", "answer": "Check its battery."],
                ["id": "computer", "question": "What is a computer?", "answer": "A machine that computes."],
                ["id": "hours", "question": "When are you open?", "answer": "From 9 to 5."],
            ]
            let created = try await client.send(
                .put, "/v1/assistant/faq", key: fixture.writeKey, json: ["model": "mini", "entries": entries, "threshold": 0])
            #expect(created.status == .created)
            let driver = try await ChromeDriver.start()
            defer { driver.stop() }
            let browser = try await WebDriverSession.start(driver: driver.url, browser: driver.browser)
            do {
                try await Self.browse(browser, base: "http://127.0.0.1:\(port)", key: fixture.writeKey) {
                    let r = try await client.send(.put, "/v1/assistant/faq/policy", key: fixture.writeKey, json: ["threshold": 1])
                    #expect(r.status == .ok)
                }
                try await browser.delete()
            } catch {
                _ = try? await DashboardBrowserTests.capture(browser, "assistant-failure")
                try? await browser.delete()
                throw error
            }
            // The person's answer is in the session the playground opened.
            let queue = try await client.send(.get, "/v1/assistant/faq/handoffs", key: fixture.writeKey)
            #expect((try queue.object()["handoffs"] as? [Any])?.isEmpty == true)
        }
    }

    static func browse(_ browser: WebDriverSession, base: String, key: String, handOffEverything: () async throws -> Void) async throws {
        try await browser.navigate(to: base + "/")
        let input = try await browser.element("#sign-in:not([hidden]) #api-key", timeout: .seconds(60))
        try await browser.type(key, into: input)
        try await browser.click(try await browser.element("#sign-in-form button"))
        _ = try await browser.element("section.model[data-model='mini']")

        // The playground answers from the collection.
        try await browser.click(try await browser.element("#nav-assistant"))
        try await ask(browser, "How do I reset my password?")
        let answer = try await browser.text(of: try await browser.element("#assistant-answer"))
        #expect(answer == "Use the reset link in the sign-in page.")
        let alternatives = try await browser.execute("return document.querySelectorAll('#assistant-alternatives li').length") as? Int
        #expect(alternatives == 3)
        let confidence = Double(try await browser.text(of: try await browser.element("#assistant-confidence")))
        #expect(confidence.map { (0...1).contains($0) } == true)
        #expect(try await browser.execute("return document.getElementById('assistant-handoff')") is NSNull)
        _ = try await browser.element("#assistant-mark-right")
        _ = try await browser.element("#assistant-mark-wrong")
        try await DashboardBrowserTests.capture(browser, "assistant-answer")
        try await DashboardBrowserTests.expectCleanConsole(browser, "assistant playground")

        // With a threshold of 1 every question goes to a person, and the page says why.
        try await handOffEverything()
        try await ask(browser, "Is my parcel lost?")
        let handoff = try await browser.text(of: try await browser.element("#assistant-handoff"))
        #expect(handoff.contains("Handed off to a person") && handoff.contains("below the threshold"))
        try await DashboardBrowserTests.capture(browser, "assistant-handoff")
        // No part left out of the page shows up as the text "null" (outside the raw JSON).
        let nulls = try await browser.execute(
            """
            const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            let found = 0;
            while (walk.nextNode()) {
              if (walk.currentNode.parentElement.tagName !== 'PRE' && walk.currentNode.textContent.includes('null')) found++;
            }
            return found;
            """)
        #expect(nulls as? Int == 0)

        // The queue lists it; resolving it with an answer empties the queue.
        try await browser.click(try await browser.element("#nav-handoffs"))
        let row = try await browser.element("#handoffs-list tr[data-id]", timeout: .seconds(30))
        #expect(try await browser.text(of: row).contains("Is my parcel lost?"))
        try await DashboardBrowserTests.capture(browser, "assistant-handoffs")
        try await browser.type("It left our warehouse yesterday.", into: try await browser.element("#handoffs-list textarea"))
        try await browser.click(try await browser.element("#handoffs-list .handoff-resolve"))
        _ = try await browser.element("#handoffs-empty", timeout: .seconds(30))
        try await DashboardBrowserTests.expectCleanConsole(browser, "hand-off queue")
    }

    static func ask(_ browser: WebDriverSession, _ question: String) async throws {
        let query = try await browser.element("#assistant-query")
        try await browser.clear(query)
        try await browser.type(question, into: query)
        _ = try await browser.execute("document.getElementById('assistant-json')?.remove()")
        try await browser.click(try await browser.element("#assistant-ask"))
        let json = try await browser.text(of: try await browser.element("#assistant-json", timeout: .seconds(60)))
        #expect(json.contains("\"confidence\""), "\(json.prefix(300))")
    }
}
