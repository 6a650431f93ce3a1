import FinchTestSupport
import Foundation

/// Debian's nginx running `deploy/nginx/finch.conf` in the foreground for a test: the file as
/// committed, with the two instance ports, the listen line and the log folder replaced (the only
/// test-only substitution), inside a minimal `nginx.conf` whose prefix is a temporary folder.
final class DeployNginx: @unchecked Sendable {
    let process = Process()
    let port: Int
    let folder: URL

    static let binary = "/usr/sbin/nginx"

    /// `deploy/nginx/finch.conf` with `127.0.0.1:8081`/`8082` → `instances`, `listen 80` → a free
    /// loopback port, `/var/log/nginx/` → `folder`.
    static func configuration(instances: [Int], port: Int, folder: URL) throws -> String {
        let source = TestSupport.repositoryRoot.appendingPathComponent("deploy/nginx/finch.conf")
        var text = try String(contentsOf: source, encoding: .utf8)
        precondition(instances.count == 2, "the committed file lists two instances")
        for (placeholder, real) in zip([8081, 8082], instances) {
            text = text.replacingOccurrences(of: "127.0.0.1:\(placeholder) ", with: "127.0.0.1:\(real) ")
        }
        text = text.replacingOccurrences(of: "listen 80;", with: "listen 127.0.0.1:\(port);")
        text = text.replacingOccurrences(of: "listen [::]:80;\n", with: "")
        text = text.replacingOccurrences(of: "/var/log/nginx/", with: folder.path + "/")
        return text
    }

    init(instances: [Int]) throws {
        port = try ServeProcess.freePort()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("finch-nginx-\(UUID().uuidString)")
        // Readable by nginx's workers (nobody when the test runs as root): they create the temp folders.
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let site = try Self.configuration(instances: instances, port: port, folder: folder)
        try site.write(to: folder.appendingPathComponent("finch.conf"), atomically: true, encoding: .utf8)
        let main = """
            worker_processes 1;
            events { worker_connections 512; }
            http {
                access_log off;
                client_body_temp_path \(folder.path)/client_body;
                proxy_temp_path \(folder.path)/proxy;
                fastcgi_temp_path \(folder.path)/fastcgi;
                uwsgi_temp_path \(folder.path)/uwsgi;
                scgi_temp_path \(folder.path)/scgi;
                include \(folder.path)/finch.conf;
            }

            """
        try main.write(to: folder.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "-p", folder.path, "-c", folder.appendingPathComponent("nginx.conf").path, "-e",
            folder.appendingPathComponent("error.log").path, "-g", "daemon off; pid \(folder.path)/nginx.pid;",
        ]
        let log = folder.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func text(_ name: String) -> String {
        (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    /// The access log's lines (`finch_upstream` format).
    var accessLines: [String] { text("finch-access.log").split(separator: "\n").map(String.init) }

    /// Waits until nginx answers `/healthz` (passed on to an instance) with 200.
    func waitUntilReady(timeout: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning { throw ServeTestError.exited(process.terminationStatus, text("error.log") + text("stderr.log")) }
            if let (status, _) = try? await HTTP.request("GET", baseURL + "/healthz"), status == 200 { return }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        throw ServeTestError.notReady(text("error.log"))
    }

    /// Stops nginx (SIGQUIT: graceful) and removes its folder.
    func stop() async {
        if process.isRunning { kill(process.processIdentifier, SIGQUIT) }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try? await Task.sleep(nanoseconds: 50_000_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }
}
