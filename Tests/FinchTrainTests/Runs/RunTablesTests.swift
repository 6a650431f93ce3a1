import FinchTrain
import Foundation
import Testing

/// What `finch runs list|show|compare` print, and the compared curves.
@Suite struct RunTablesTests {
    static func run(_ id: Int, lr: String, losses: [Double], status: RunStatus = .finished) -> (run: RecordedRun, points: [RunMetricPoint])
    {
        var start = RunRecorderTests.start()
        start.parameters = ["lr": lr, "epochs": "3"]
        let r = RecordedRun(
            id: id, start: start, status: status, steps: losses.count, updatedAt: Date(timeIntervalSince1970: 1_065),
            finishedAt: status == .finished ? Date(timeIntervalSince1970: 1_125) : nil,
            best: RunBest(metric: "accuracy", value: 0.75, step: 2), finalMetrics: ["accuracy": 0.5], artefacts: [], error: nil)
        let points = losses.enumerated().map { RunMetricPoint(step: $0.offset + 1, epoch: 0, name: "loss", value: $0.element) }
        return (r, points)
    }

    @Test func listHasOneAlignedLinePerRun() {
        let text = RunTables.list([Self.run(2, lr: "0.1", losses: []).run, Self.run(1, lr: "0.01", losses: [], status: .failed).run])
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("id  kind            model  status    started (UTC)        duration  best"))
        #expect(lines[1] == "2   train-classify  tiny   finished  1970-01-01 00:16:40  2 m 05 s  accuracy 0.7500 @ 2")
        #expect(lines[2] == "1   train-classify  tiny   failed    1970-01-01 00:16:40  1 m 05 s  accuracy 0.7500 @ 2")
    }

    @Test func showListsParametersHashesAndMetrics() {
        var r = Self.run(3, lr: "0.1", losses: []).run
        r.error = "killed"
        r.artefacts = [RunArtefact(name: "model", path: "/tmp/out/model.safetensors")]
        let text = RunTables.show(r)
        #expect(text.contains("status    finished\n"))
        #expect(text.contains("error     killed\n"))
        #expect(text.contains("\nparameters\n  epochs  3\n  lr      0.1\n"))
        #expect(text.contains("\ndata (SHA-256)\n  train  ab  t.csv\n"))
        #expect(text.contains("\nartefacts\n  model  /tmp/out/model.safetensors\n"))
        #expect(text.hasSuffix("\nfinal metrics\n  accuracy  0.5000\n"))
    }

    @Test func compareMarksDifferingParametersAndSummarisesTheMetric() {
        let runs = [Self.run(1, lr: "0.01", losses: [0.9, 0.4, 0.6]), Self.run(2, lr: "0.1", losses: [0.8, 0.2])]
        let lines = RunTables.compare(runs, metric: "loss").split(separator: "\n").map(String.init)
        func row(_ name: String) -> [String]? {
            lines.first { $0.hasPrefix(name + " ") }.map { String($0.dropFirst(name.count)).split(separator: " ").map(String.init) }
        }
        #expect(lines[0].split(separator: " ") == ["run", "1", "run", "2"])
        #expect(row("  epochs") == ["3", "3"])
        #expect(row("* lr") == ["0.01", "0.1"])
        #expect(row("final accuracy") == ["0.5000", "0.5000"])
        #expect(row("loss first") == ["0.9000", "0.8000"])
        #expect(row("loss last") == ["0.6000", "0.2000"])
        #expect(row("loss lowest") == ["0.4000", "0.2000"])
        #expect(row("loss highest") == ["0.9000", "0.8000"])
        #expect(row("train sha256") == ["ab", "ab"])
        // Columns line up: every run's column starts where its header does.
        let column2 = lines[0].range(of: "run 2")!.lowerBound.utf16Offset(in: lines[0])
        #expect(lines.allSatisfy { $0.count <= column2 || $0[$0.index($0.startIndex, offsetBy: column2 - 1)] == " " })
    }

    @Test func curvesDrawOneLinePerRun() {
        let runs = [Self.run(1, lr: "0.01", losses: [0.9, 0.4, 0.6]), Self.run(2, lr: "0.1", losses: [0.8, 0.2])]
        let curves = RunTables.curves(runs, metric: "loss")
        #expect(curves.series.map(\.name) == ["run 1 (train-classify)", "run 2 (train-classify)"])
        #expect(curves.series.map { $0.points.map(\.step) } == [[1, 2, 3], [1, 2]])
        #expect(Set(curves.series.map(\.color)).count == 2)
        let svg = curves.svg()
        #expect(svg.components(separatedBy: "<polyline").count == 3)
        #expect(svg.contains("data-name=\"run 2 (train-classify)\""))
        #expect(!svg.contains("class=\"right-axis\""))
    }

    @Test func durations() {
        #expect(RunTables.duration(4.24) == "4.2 s")
        #expect(RunTables.duration(185) == "3 m 05 s")
        #expect(RunTables.duration(7_620) == "2 h 07 m")
        #expect(RunTables.duration(-1) == "-")
    }
}
