import FinchApps
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FinchServer

/// The dashboard's audit page in headless Chromium: the admin actions appear with the chain's
/// status, and an entry edited in the database turns the status to broken, naming the entry.
@Suite(.serialized) struct AuditPageBrowserTests {
    @Test(.timeLimit(.minutes(10))) func auditPageShowsEntriesAndChainStatus() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: DashboardBrowserTests.artifacts, withIntermediateDirectories: true)
        let app = try await fixture.app()
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let created = try await client.send(.post, "/v1/keys", key: fixture.adminKey, json: ["scope": "read", "name": "page"])
            let keyID = try #require(try created.object()["id"] as? String)
            #expect(try await client.send(.delete, "/v1/keys/\(keyID)", key: fixture.adminKey).status == .noContent)

            let driver = try await ChromeDriver.start()
            defer { driver.stop() }
            let browser = try await WebDriverSession.start(driver: driver.url, browser: driver.browser)
            do {
                let base = "http://127.0.0.1:\(port)"
                try await browser.navigate(to: base + "/")
                let input = try await browser.element("#sign-in:not([hidden]) #api-key", timeout: .seconds(60))
                try await browser.type(fixture.adminKey, into: input)
                try await browser.click(try await browser.element("#sign-in-form button"))
                _ = try await browser.element("section.model[data-model='mini']")
                try await browser.click(try await browser.element("#nav-audit"))

                let status = try await browser.element("#audit-status[data-intact='true']")
                #expect(try await browser.text(of: status).contains("2 entries verified"))
                let create = try await browser.element("tr.audit-entry[data-action='key.create']")
                let row = try await browser.text(of: create)
                #expect(row.contains(keyID) && row.contains("scope=read"), "\(row)")
                _ = try await browser.element("tr.audit-entry[data-action='key.revoke']")
                #expect(try await browser.execute("return document.getElementById('audit-more').hidden") as? Bool == true)
                try await DashboardBrowserTests.capture(browser, "audit")
                try await DashboardBrowserTests.expectCleanConsole(browser, "audit page")

                // Someone edits the first entry in the database: the page says where the chain breaks.
                try await fixture.store.pool.write { db in try db.execute(sql: "UPDATE audit_trail SET subject = 'x' WHERE sequence = 1") }
                try await browser.navigate(to: base + "/#/models")
                _ = try await browser.element("section.model[data-model='mini']")
                try await browser.click(try await browser.element("#nav-audit"))
                let broken = try await browser.element("#audit-status[data-intact='false']")
                let text = try await browser.text(of: broken)
                #expect(text.contains("Chain broken") && text.contains("position 1"), "\(text)")
                _ = try await browser.element("tr.audit-entry[data-broken='true'][data-sequence='1']")
                try await DashboardBrowserTests.capture(browser, "audit-broken")
                try await DashboardBrowserTests.expectCleanConsole(browser, "audit page, broken chain")
                try await browser.delete()
            } catch {
                _ = try? await DashboardBrowserTests.capture(browser, "audit-failure")
                try? await browser.delete()
                throw error
            }
        }
    }
}

/// The dashboard's users page in headless Chromium: look a user up, change their consent,
/// erase them after typing the id again, and see the erasure in the audit trail.
@Suite(.serialized) struct UsersPageBrowserTests {
    @Test(.timeLimit(.minutes(10))) func usersPageSetsConsentAndErases() async throws {
        let fixture = try await ServerFixture()
        defer { fixture.remove() }
        try FileManager.default.createDirectory(at: DashboardBrowserTests.artifacts, withIntermediateDirectories: true)
        let app = try await fixture.app()
        let user = "dash-user-77"
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let driver = try await ChromeDriver.start()
            defer { driver.stop() }
            let browser = try await WebDriverSession.start(driver: driver.url, browser: driver.browser)
            do {
                try await browser.navigate(to: "http://127.0.0.1:\(port)/")
                let key = try await browser.element("#sign-in:not([hidden]) #api-key", timeout: .seconds(60))
                try await browser.type(fixture.adminKey, into: key)
                try await browser.click(try await browser.element("#sign-in-form button"))
                _ = try await browser.element("section.model[data-model='mini']")
                try await browser.click(try await browser.element("#nav-users"))

                try await browser.type(user, into: try await browser.element("#user-id"))
                try await browser.click(try await browser.element("#user-lookup"))
                _ = try await browser.element("#user-card[data-user='\(user)']")
                #expect(try await browser.text(of: try await browser.element("#consent-source")) == "deployment default")
                #expect(try await browser.execute("return document.getElementById('consent-personalization').checked") as? Bool == true)

                try await browser.click(try await browser.element("#consent-personalization"))
                try await browser.click(try await browser.element("#consent-save"))
                _ = try await browser.waitUntil(
                    "saved", script: "return document.getElementById('consent-status').textContent === 'Saved.'")
                let stored = try await fixture.store.privacy.storedConsent(user: user)
                #expect(stored == UserConsent(personalization: false, storeTextsForTraining: true))
                try await DashboardBrowserTests.capture(browser, "users-consent")

                // The erase button stays disabled until the id is typed again.
                let erase = try await browser.element("#user-erase")
                #expect(try await browser.execute("return document.getElementById('user-erase').disabled") as? Bool == true)
                try await browser.type(user, into: try await browser.element("#erase-confirm"))
                try await browser.click(erase)
                let report = try await browser.element("#erase-report li[data-kind='consent']")
                #expect(try await browser.text(of: report) == "consent: 1 removed")
                #expect(try await fixture.store.privacy.storedConsent(user: user) == nil)
                #expect(try await fixture.store.privacy.tombstoneHashes().count == 1)
                try await DashboardBrowserTests.capture(browser, "users-erased")

                try await browser.click(try await browser.element("#nav-audit"))
                _ = try await browser.element("#audit-status[data-intact='true']")
                let row = try await browser.text(of: try await browser.element("tr.audit-entry[data-action='user.erase']"))
                #expect(!row.contains(user), "\(row)")
                try await DashboardBrowserTests.expectCleanConsole(browser, "users page")
                try await browser.delete()
            } catch {
                _ = try? await DashboardBrowserTests.capture(browser, "users-failure")
                try? await browser.delete()
                throw error
            }
        }
    }
}
