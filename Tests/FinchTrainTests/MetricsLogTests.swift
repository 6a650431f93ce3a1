import Foundation
import Testing

@testable import FinchTrain

@Suite struct MetricsLogTests {
    @Test func appendedLinesDecodeBack() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let log = MetricsLog(url: files.directory.appendingPathComponent("metrics.jsonl"))
        try log.reset()
        let records = [
            MetricsRecord(kind: .train, step: 10, epoch: 0.25, values: ["loss": 0.6931, "learning_rate": 1.9e-05]),
            MetricsRecord(kind: .train, step: 20, epoch: 0.5, values: ["loss": .nan, "grad_norm": 3.5]),
            MetricsRecord(kind: .eval, step: 40, epoch: 1, values: ["loss": 0.45, "accuracy": 0.81, "macro_f1": 0.73]),
        ]
        for r in records { try log.append(r) }
        #expect(try log.read() == records)

        // Each line is a flat JSON object any JSON-lines reader decodes.
        let text = try String(contentsOf: log.url, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == #"{"epoch":0.25,"kind":"train","learning_rate":1.9e-05,"loss":0.6931,"step":10}"#)
        #expect(lines[1].contains(#""loss":null"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[2].utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "eval")
        #expect(object["accuracy"] as? Double == 0.81)
    }

    @Test func resumeDropsNewerRecordsAndACutOffLine() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let log = MetricsLog(url: files.directory.appendingPathComponent("metrics.jsonl"))
        for step in [10, 20, 30] { try log.append(MetricsRecord(kind: .train, step: step, epoch: 0, values: ["loss": 1])) }
        // A kill in the middle of a write leaves a line without its break.
        let handle = try FileHandle(forWritingTo: log.url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"epoch":0,"kind":"tra"#.utf8))
        try handle.close()
        #expect(try log.read().map(\.step) == [10, 20, 30])
        try log.truncate(afterStep: 20)
        #expect(try log.read().map(\.step) == [10, 20])
        #expect(try String(contentsOf: log.url, encoding: .utf8).hasSuffix("}\n"))
        try log.append(MetricsRecord(kind: .eval, step: 25, epoch: 1, values: ["f1": 0.5]))
        #expect(try log.read().map(\.step) == [10, 20, 25])
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: files.directory.path) == ["metrics.jsonl"])
    }

    @Test func malformedCompleteLineIsAnError() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let url = try files.write("metrics.jsonl", "{\"kind\":\"train\",\"step\":1,\"epoch\":0}\n{\"kind\":\"train\",\"epoch\":0}\n")
        #expect(throws: MetricsLogError.malformedLine(file: url.path, line: 2, reason: "no 'step'")) { try MetricsLog(url: url).read() }
        let message = MetricsLogError.malformedLine(file: "m.jsonl", line: 2, reason: "no 'step'").description
        #expect(message == "m.jsonl:2: not a metrics record: no 'step'")
        #expect(try MetricsLog(url: files.directory.appendingPathComponent("absent.jsonl")).read().isEmpty)
    }

    @Test func unwritableDirectoryNamesTheFile() throws {
        let log = MetricsLog(url: URL(fileURLWithPath: "/nonexistent-finch-dir/metrics.jsonl"))
        #expect(throws: MetricsLogError.cannotWrite(file: "/nonexistent-finch-dir/metrics.jsonl", reason: "No such file or directory")) {
            try log.append(MetricsRecord(kind: .train, step: 1, epoch: 0, values: [:]))
        }
    }
}
