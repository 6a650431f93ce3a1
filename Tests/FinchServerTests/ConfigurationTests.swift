import FinchServer
import Foundation
import Testing

@Suite struct ConfigurationTests {
    func write(_ yaml: String) throws -> String {
        let dir = try ServerFixture.temporaryDirectory()
        let path = dir.appendingPathComponent("finch.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsNeedNothing() throws {
        let c = try ServerConfiguration.load()
        #expect(c.host == "127.0.0.1")
        #expect(c.port == 8080)
        #expect(c.dataDirectory == "./finch-data")
        #expect(c.databaseURL == nil)
        #expect(c.maxBodyBytes == 1 << 20)
        #expect(c.sqlitePath.hasSuffix("finch-data/finch.sqlite"))
    }

    @Test func fileThenEnvironmentThenFlags() throws {
        let path = try write(
            """
            port: 9000
            host: 0.0.0.0
            max_wait_ms: 5
            models:
              mini: models/minilm
              abs: /opt/m
            """)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var c = try ServerConfiguration.load(file: path)
        #expect(c.port == 9000 && c.host == "0.0.0.0")
        #expect(c.batching.maxWaitMilliseconds == 5)
        #expect(c.models == [.init(name: "mini", path: base + "/models/minilm"), .init(name: "abs", path: "/opt/m")])
        c = try ServerConfiguration.load(file: path, environment: ["FINCH_PORT": "9100", "FINCH_MODELS": "e5=/m/e5", "HOME": "/root"])
        #expect(c.port == 9100)
        #expect(c.models.map(\.name) == ["mini", "abs", "e5"])
        c = try ServerConfiguration.load(file: path, environment: ["FINCH_PORT": "9100"], flags: ["port": "9200", "data-dir": "/d"])
        #expect(c.port == 9200)
        #expect(c.dataDirectory == "/d")
    }

    @Test func unknownKeysAndBadValuesNameTheKey() throws {
        let path = try write("port: 9000\nbatch_size: 3\n")
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.load(file: path) }
        do { _ = try ServerConfiguration.load(file: path) } catch let e as ConfigurationError {
            #expect(e.key.hasSuffix(":2: batch_size"), "\(e.key)")
            #expect(e.description.contains("unknown setting"))
        }
        do { _ = try ServerConfiguration.load(environment: ["FINCH_PORT": "eighty"]) } catch let e as ConfigurationError {
            #expect(e.key == "FINCH_PORT")
            #expect(e.message.contains("eighty"))
        }
        do { _ = try ServerConfiguration.load(flags: ["port": "70000"]) } catch let e as ConfigurationError {
            #expect(e.key == "--port")
        }
        #expect(throws: ConfigurationError(key: "--database-url", message: "must start with postgres:// or postgresql://")) {
            try ServerConfiguration.load(flags: ["database_url": "mysql://x"])
        }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.load(flags: ["models": "no-equals-sign"]) }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.load(file: try write("- a\n- b\n")) }
    }
}
