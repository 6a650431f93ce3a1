import Foundation

/// The text `finch runs list|show|compare` prints: aligned columns, UTC times,
/// durations a person reads at a glance.
public enum RunTables {
    /// One line per run, newest first: id, kind, model, status, start, duration, best metric.
    public static func list(_ runs: [RecordedRun]) -> String {
        let rows = runs.map { r in
            [String(r.id), r.start.kind, r.start.model, r.status.rawValue, time(r.start.startedAt), duration(r.seconds), best(r.best)]
        }
        return table(header: ["id", "kind", "model", "status", "started (UTC)", "duration", "best"], rows: rows)
    }

    /// Everything about one run: what ran, how it ended, its parameters, data hashes, artefacts and final metrics.
    public static func show(_ r: RecordedRun) -> String {
        var facts: [[String]] = [
            ["run", String(r.id)], ["kind", r.start.kind], ["model", r.start.model], ["status", r.status.rawValue],
            ["command", r.start.command],
        ]
        if let out = r.start.outputDirectory { facts.append(["output", out]) }
        facts += [
            ["started", time(r.start.startedAt) + " UTC"], ["duration", duration(r.seconds)], ["steps", String(r.steps)],
            ["process", "pid \(r.start.process.pid) on \(r.start.process.host)"],
        ]
        if r.best != nil { facts.append(["best", best(r.best)]) }
        if let e = r.error { facts.append(["error", e]) }
        var out = table(header: nil, rows: facts)
        out +=
            "\nparameters\n" + indented(table(header: nil, rows: r.start.parameters.keys.sorted().map { [$0, r.start.parameters[$0]!] }))
        if !r.start.dataHashes.isEmpty {
            out += "\ndata (SHA-256)\n" + indented(table(header: nil, rows: r.start.dataHashes.map { [$0.role, $0.sha256, $0.path] }))
        }
        if !r.artefacts.isEmpty { out += "\nartefacts\n" + indented(table(header: nil, rows: r.artefacts.map { [$0.name, $0.path] })) }
        if !r.finalMetrics.isEmpty {
            out +=
                "\nfinal metrics\n"
                + indented(table(header: nil, rows: r.finalMetrics.keys.sorted().map { [$0, number(r.finalMetrics[$0]!)] }))
        }
        return out
    }

    /// The runs side by side: how each ran and ended, every parameter (a `*` marks those that
    /// differ), the final metrics, and `metric` over the steps (first, last, lowest, highest).
    public static func compare(_ runs: [(run: RecordedRun, points: [RunMetricPoint])], metric: String) -> String {
        let (header, rows) = comparison(runs, metric: metric)
        return table(header: header, rows: rows)
    }

    /// `compare`'s cells: a header (`""`, `run 1`, `run 2`, …) and one row per fact, the fact's name first.
    public static func comparison(_ runs: [(run: RecordedRun, points: [RunMetricPoint])], metric: String) -> (
        header: [String], rows: [[String]]
    ) {
        let header = [""] + runs.map { "run \($0.run.id)" }
        func row(_ name: String, _ cell: (RecordedRun) -> String) -> [String] { [name] + runs.map { cell($0.run) } }
        var rows: [[String]] = [
            row("kind") { $0.start.kind }, row("model") { $0.start.model }, row("status") { $0.status.rawValue },
            row("started (UTC)") { time($0.start.startedAt) }, row("duration") { duration($0.seconds) },
            row("steps") { String($0.steps) }, row("best") { best($0.best) },
        ]
        let names = Set(runs.flatMap { $0.run.start.parameters.keys }).sorted()
        for name in names {
            let values = runs.map { $0.run.start.parameters[name] ?? "-" }
            rows.append([(Set(values).count > 1 ? "* " : "  ") + name] + values)
        }
        for name in Set(runs.flatMap { $0.run.finalMetrics.keys }).sorted() {
            rows.append(row("final \(name)") { $0.finalMetrics[name].map(number) ?? "-" })
        }
        for role in Set(runs.flatMap { $0.run.start.dataHashes.map(\.role) }).sorted() {
            rows.append(
                row("\(role) sha256") { r in r.start.dataHashes.first { $0.role == role }.map { String($0.sha256.prefix(12)) } ?? "-" })
        }
        let series = runs.map { r in r.points.filter { $0.name == metric && $0.value.isFinite }.sorted { $0.step < $1.step } }
        rows.append([metric + " first"] + series.map { $0.first.map { number($0.value) } ?? "-" })
        rows.append([metric + " last"] + series.map { $0.last.map { number($0.value) } ?? "-" })
        rows.append([metric + " lowest"] + series.map { $0.map(\.value).min().map(number) ?? "-" })
        rows.append([metric + " highest"] + series.map { $0.map(\.value).max().map(number) ?? "-" })
        return (header, rows)
    }

    /// The chart of `metric` over steps, one line per run (`training_curves.svg`'s drawing).
    public static func curves(_ runs: [(run: RecordedRun, points: [RunMetricPoint])], metric: String) -> TrainingCurves {
        let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
        let evaluation = metric.hasPrefix(RunMetricPoint.evaluationPrefix)
        let series = runs.enumerated().map { i, r in
            CurveSeries(
                name: "run \(r.run.id) (\(r.run.start.kind))",
                points: r.points.filter { $0.name == metric }.sorted { $0.step < $1.step }.map {
                    CurvePoint(step: $0.step, value: $0.value)
                },
                axis: .left, color: palette[i % palette.count], markers: evaluation)
        }
        return TrainingCurves(
            title: "\(metric) of runs " + runs.map { String($0.run.id) }.joined(separator: ", "), leftLabel: metric, rightLabel: "",
            series: series)
    }

    /// Columns padded to their widest cell, two spaces apart; the last column is not padded.
    public static func table(header: [String]?, rows: [[String]]) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// `2026-12-04 16:30:05` in UTC.
    public static func time(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return f.string(from: date)
    }

    /// `4.2 s`, `3 m 05 s`, `2 h 07 m`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "-" }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let s = Int(seconds.rounded())
        if s < 3600 { return String(format: "%d m %02d s", s / 60, s % 60) }
        return String(format: "%d h %02d m", s / 3600, (s % 3600) / 60)
    }

    static func best(_ b: RunBest?) -> String {
        guard let b else { return "-" }
        return "\(b.metric) \(number(b.value)) @ \(b.step)"
    }

    static func number(_ v: Double) -> String { String(format: "%.4f", v) }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "  " + $0 }.joined(separator: "\n") + "\n"
    }
}
