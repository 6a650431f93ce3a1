import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's chromedriver as a child process on a free loopback port, driving Debian's chromium
/// (`apt-get install chromium chromium-driver`; Tools/test.sh installs them).
final class ChromeDriver: Sendable {
    /// `http://127.0.0.1:PORT/`.
    let url: URL
    /// The browser binary handed to each session.
    let browser: String
    private let process: Process

    private init(url: URL, browser: String, process: Process) {
        self.url = url
        self.browser = browser
        self.process = process
    }

    /// Starts chromedriver and waits until it reports ready.
    static func start() async throws -> ChromeDriver {
        guard let driver = executable(["chromedriver"]) else {
            throw WebDriverError.driverMissing("chromedriver is not installed (apt-get install chromium-driver; Tools/test.sh does it)")
        }
        guard let browser = executable(["chromium", "chromium-browser"]) else {
            throw WebDriverError.driverMissing("chromium is not installed (apt-get install chromium; Tools/test.sh does it)")
        }
        let port = try freeLoopbackPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: driver)
        process.arguments = ["--port=\(port)", "--allowed-ips=127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let url = URL(string: "http://127.0.0.1:\(port)/")!
        let started = ChromeDriver(url: url, browser: browser, process: process)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let status = try? await WebDriverSession.send("GET", url.appendingPathComponent("status"), nil) as? [String: Any],
                status["ready"] as? Bool == true
            {
                return started
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        started.stop()
        throw WebDriverError.timedOut("chromedriver on port \(port) never reported ready")
    }

    /// Stops chromedriver (its browsers end with their sessions). SIGKILL, because the test process
    /// ignores SIGTERM (swift-service-lifecycle handles it through a dispatch source) and a child
    /// inherits ignored signals, so chromedriver would never see a SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The first of `names` found on PATH (or in /usr/bin).
    static func executable(_ names: [String]) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin"]
        for name in names {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return "\(folder)/\(name)"
            }
        }
        return nil
    }

    /// A port the kernel just handed out on 127.0.0.1 (bound to 0, read back, released).
    static func freeLoopbackPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw WebDriverError.unexpected("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw WebDriverError.unexpected("bind() to 127.0.0.1:0 failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
