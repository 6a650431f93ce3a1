import AsyncHTTPClient
import Foundation
import NIOCore

/// A W3C WebDriver session, spoken over HTTP to a driver (chromedriver) on loopback.
struct WebDriverSession: Sendable {
    /// `http://127.0.0.1:PORT/session/ID`.
    let url: URL

    /// The key under which WebDriver returns an element reference.
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    /// Opens a headless Chromium session; the browser's console is kept for `browserLog()`.
    static func start(driver: URL, browser: String, windowSize: (Int, Int) = (1280, 900)) async throws -> WebDriverSession {
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "goog:chromeOptions": [
                        "binary": browser,
                        "args": [
                            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                            "--disable-extensions", "--window-size=\(windowSize.0),\(windowSize.1)",
                        ],
                    ],
                    "goog:loggingPrefs": ["browser": "ALL"],
                ] as [String: Any]
            ]
        ]
        let value = try await WebDriverSession.send("POST", driver.appendingPathComponent("session"), capabilities)
        guard let object = value as? [String: Any], let id = object["sessionId"] as? String else {
            throw WebDriverError.unexpected("new session answered \(String(describing: value))")
        }
        return WebDriverSession(url: driver.appendingPathComponent("session").appendingPathComponent(id))
    }

    /// Loads a page and waits for it (WebDriver's page-load strategy "normal").
    func navigate(to address: String) async throws {
        _ = try await command("POST", "url", ["url": address])
    }

    /// The first element matching a CSS selector, waiting up to `timeout` for it to exist.
    func element(_ selector: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            do {
                let value = try await command("POST", "element", ["using": "css selector", "value": selector])
                if let object = value as? [String: Any], let id = object[Self.elementKey] as? String { return id }
                throw WebDriverError.unexpected("element \(selector) answered \(String(describing: value))")
            } catch WebDriverError.failed(let error, _) where error == "no such element" {
                if ContinuousClock.now > deadline { throw WebDriverError.timedOut("no element matches \(selector)") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Waits until a script returns something truthy and returns that value.
    func waitUntil(_ what: String, timeout: Duration = .seconds(20), script: String) async throws -> Any {
        let deadline = ContinuousClock.now + timeout
        while true {
            let value = try await execute(script)
            if let value, !(value is NSNull), (value as? Bool) != false, (value as? String) != "" { return value }
            if ContinuousClock.now > deadline { throw WebDriverError.timedOut(what) }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Types text into an element (as key presses).
    func type(_ text: String, into element: String) async throws {
        _ = try await command("POST", "element/\(element)/value", ["text": text])
    }

    /// Clears an input or textarea.
    func clear(_ element: String) async throws {
        _ = try await command("POST", "element/\(element)/clear", [:])
    }

    /// Clicks an element.
    func click(_ element: String) async throws {
        _ = try await command("POST", "element/\(element)/click", [:])
    }

    /// The rendered text of an element.
    func text(of element: String) async throws -> String {
        let value = try await command("GET", "element/\(element)/text", nil)
        return value as? String ?? ""
    }

    /// Runs a script in the page (`return …` gives its value).
    func execute(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await command("POST", "execute/sync", ["script": script, "args": arguments])
    }

    /// A PNG of the viewport.
    func screenshot() async throws -> Data {
        let value = try await command("GET", "screenshot", nil)
        guard let base64 = value as? String, let data = Data(base64Encoded: base64) else {
            throw WebDriverError.unexpected("screenshot answered no base64 PNG")
        }
        return data
    }

    /// One entry of the browser's console log.
    struct LogEntry: CustomStringConvertible {
        var level: String
        var message: String
        var description: String { "\(level): \(message)" }
    }

    /// The console entries since the last call (chromedriver's `se/log` with type "browser").
    func browserLog() async throws -> [LogEntry] {
        let value = try await command("POST", "se/log", ["type": "browser"])
        guard let entries = value as? [[String: Any]] else { throw WebDriverError.unexpected("log answered \(String(describing: value))") }
        return entries.map { LogEntry(level: $0["level"] as? String ?? "?", message: $0["message"] as? String ?? "") }
    }

    /// Ends the session and closes the browser.
    func delete() async throws {
        _ = try await Self.send("DELETE", url, nil)
    }

    private func command(_ method: String, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        try await Self.send(method, url.appendingPathComponent(path), body)
    }

    /// Sends one WebDriver command and returns its `value`, or throws the driver's error.
    static func send(_ method: String, _ url: URL, _ body: [String: Any]?) async throws -> Any? {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .init(rawValue: method)
        if let body {
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let data = Data(buffer: try await response.body.collect(upTo: 64 << 20))
        let object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [String: Any]
        let value = object?["value"]
        if response.status.code != 200 {
            let detail = value as? [String: Any]
            throw WebDriverError.failed(detail?["error"] as? String ?? "HTTP \(response.status.code)", detail?["message"] as? String ?? "")
        }
        return value
    }
}

/// What went wrong talking to the driver.
enum WebDriverError: Error, CustomStringConvertible {
    case failed(String, String)
    case unexpected(String)
    case timedOut(String)
    case driverMissing(String)

    var description: String {
        switch self {
        case .failed(let error, let message): "WebDriver error \(error): \(message)"
        case .unexpected(let message): "unexpected WebDriver answer: \(message)"
        case .timedOut(let what): "timed out waiting: \(what)"
        case .driverMissing(let message): message
        }
    }
}
