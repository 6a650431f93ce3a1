import FinchSupport
import Foundation

/// One point of a curve: a metric's value after `step` optimizer steps.
public struct CurvePoint: Equatable, Sendable {
    /// Optimizer steps.
    public var step: Int
    /// The metric's value.
    public var value: Double

    /// A point.
    public init(step: Int, value: Double) {
        self.step = step
        self.value = value
    }
}

/// A line of the chart, drawn against the left or the right y axis.
public struct CurveSeries: Equatable, Sendable {
    /// Which y axis a series is read against.
    public enum Axis: Sendable { case left, right }

    /// Legend text.
    public var name: String
    /// Points in step order; non-finite values are not drawn.
    public var points: [CurvePoint]
    /// The y axis.
    public var axis: Axis
    /// Stroke colour (any SVG colour).
    public var color: String
    /// Whether each point gets a dot (evaluations are few, losses many).
    public var markers: Bool

    /// A series.
    public init(name: String, points: [CurvePoint], axis: Axis, color: String, markers: Bool = false) {
        self.name = name
        self.points = points
        self.axis = axis
        self.color = color
        self.markers = markers
    }
}

/// `training_curves.svg`: training loss (left axis) and a development metric
/// (right axis) over optimizer steps, with ticks, grid and legend — a
/// dependency-free SVG that browsers, GitHub and image viewers show as is.
public struct TrainingCurves: Sendable {
    /// Chart title.
    public var title: String
    /// Left axis label.
    public var leftLabel: String
    /// Right axis label.
    public var rightLabel: String
    /// The lines.
    public var series: [CurveSeries]

    /// A chart of the given series.
    public init(title: String, leftLabel: String, rightLabel: String, series: [CurveSeries]) {
        self.title = title
        self.leftLabel = leftLabel
        self.rightLabel = rightLabel
        self.series = series
    }

    /// The chart of a run's `metrics.jsonl` records: training loss (`loss` of
    /// the `train` records) and dev loss on the left axis, dev `metric` (of
    /// the `eval` records, e.g. `accuracy` or `f1`) on the right.
    public init(records: [MetricsRecord], metric: String, title: String = "Training curves") {
        func points(_ kind: MetricsRecord.Kind, _ key: String) -> [CurvePoint] {
            records.filter { $0.kind == kind }.compactMap { r in r.values[key].map { CurvePoint(step: r.step, value: $0) } }
        }
        var series = [CurveSeries(name: "train loss", points: points(.train, "loss"), axis: .left, color: "#1f77b4")]
        let devLoss = points(.eval, "loss")
        if !devLoss.isEmpty {
            series.append(CurveSeries(name: "dev loss", points: devLoss, axis: .left, color: "#9467bd", markers: true))
        }
        series.append(CurveSeries(name: "dev \(metric)", points: points(.eval, metric), axis: .right, color: "#ff7f0e", markers: true))
        self.init(title: title, leftLabel: "loss", rightLabel: metric, series: series)
    }

    /// The SVG document.
    public func svg(width: Int = 800, height: Int = 450) -> String {
        let plot = PlotArea(width: Double(width), height: Double(height))
        let finite = series.map { s in s.points.filter { $0.value.isFinite } }
        let steps = finite.flatMap { $0.map { Double($0.step) } }
        let xAxis = NiceScale(values: steps, includeZero: true)
        let leftAxis = NiceScale(values: zip(series, finite).filter { $0.0.axis == .left }.flatMap { $0.1.map(\.value) })
        let rightAxis = NiceScale(values: zip(series, finite).filter { $0.0.axis == .right }.flatMap { $0.1.map(\.value) })

        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
            <rect x="0" y="0" width="\(width)" height="\(height)" fill="white"/>
            <text x="\(f(plot.width / 2))" y="22" text-anchor="middle" font-size="16">\(escape(title))</text>

            """
        // Grid and ticks.
        out += "<g class=\"x-axis\" stroke=\"#000\">\n"
        for tick in xAxis.ticks {
            let x = plot.x(tick, xAxis)
            out += "<line x1=\"\(f(x))\" y1=\"\(f(plot.bottom))\" x2=\"\(f(x))\" y2=\"\(f(plot.bottom + 5))\"/>\n"
            out += "<text x=\"\(f(x))\" y=\"\(f(plot.bottom + 19))\" text-anchor=\"middle\" stroke=\"none\">\(xAxis.label(tick))</text>\n"
        }
        out +=
            "<text x=\"\(f((plot.left + plot.right) / 2))\" y=\"\(f(plot.height - 12))\" text-anchor=\"middle\" stroke=\"none\">step</text>\n</g>\n"
        out += "<g class=\"left-axis\" stroke=\"#000\">\n"
        for tick in leftAxis.ticks {
            let y = plot.y(tick, leftAxis)
            out += "<line x1=\"\(f(plot.left))\" y1=\"\(f(y))\" x2=\"\(f(plot.right))\" y2=\"\(f(y))\" stroke=\"#e5e5e5\"/>\n"
            out += "<line x1=\"\(f(plot.left - 5))\" y1=\"\(f(y))\" x2=\"\(f(plot.left))\" y2=\"\(f(y))\"/>\n"
            out += "<text x=\"\(f(plot.left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\" stroke=\"none\">\(leftAxis.label(tick))</text>\n"
        }
        out +=
            "<text transform=\"translate(16 \(f((plot.top + plot.bottom) / 2))) rotate(-90)\" text-anchor=\"middle\" stroke=\"none\">\(escape(leftLabel))</text>\n</g>\n"
        let hasRight = series.contains { $0.axis == .right }
        if hasRight {
            out += "<g class=\"right-axis\" stroke=\"#000\">\n"
            for tick in rightAxis.ticks {
                let y = plot.y(tick, rightAxis)
                out += "<line x1=\"\(f(plot.right))\" y1=\"\(f(y))\" x2=\"\(f(plot.right + 5))\" y2=\"\(f(y))\"/>\n"
                out +=
                    "<text x=\"\(f(plot.right + 8))\" y=\"\(f(y + 4))\" text-anchor=\"start\" stroke=\"none\">\(rightAxis.label(tick))</text>\n"
            }
            out +=
                "<text transform=\"translate(\(f(plot.width - 14)) \(f((plot.top + plot.bottom) / 2))) rotate(90)\" text-anchor=\"middle\" stroke=\"none\">\(escape(rightLabel))</text>\n</g>\n"
        }
        out +=
            "<rect class=\"frame\" x=\"\(f(plot.left))\" y=\"\(f(plot.top))\" width=\"\(f(plot.right - plot.left))\" height=\"\(f(plot.bottom - plot.top))\" fill=\"none\" stroke=\"#000\"/>\n"

        // Lines.
        for (s, points) in zip(series, finite) where !points.isEmpty {
            let scale = s.axis == .left ? leftAxis : rightAxis
            let xy = points.map { (f(plot.x(Double($0.step), xAxis)), f(plot.y($0.value, scale))) }
            out += "<g class=\"series\" data-name=\"\(escape(s.name))\">\n"
            out +=
                "<polyline fill=\"none\" stroke=\"\(escape(s.color))\" stroke-width=\"1.8\" points=\"\(xy.map { "\($0.0),\($0.1)" }.joined(separator: " "))\"/>\n"
            if s.markers {
                for (x, y) in xy { out += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"3\" fill=\"\(escape(s.color))\"/>\n" }
            }
            out += "</g>\n"
        }

        // Legend, top left inside the frame.
        out += "<g class=\"legend\">\n"
        let longest = series.map(\.name.unicodeScalars.count).max() ?? 0
        out +=
            "<rect x=\"\(f(plot.left + 4))\" y=\"\(f(plot.top + 4))\" width=\"\(f(Double(longest) * 7.5 + 44))\" height=\"\(f(Double(series.count) * 16 + 6))\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#ccc\"/>\n"
        var y = plot.top + 16
        for s in series {
            out +=
                "<line x1=\"\(f(plot.left + 10))\" y1=\"\(f(y - 4))\" x2=\"\(f(plot.left + 34))\" y2=\"\(f(y - 4))\" stroke=\"\(escape(s.color))\" stroke-width=\"2\"/>\n"
            out += "<text x=\"\(f(plot.left + 40))\" y=\"\(f(y))\">\(escape(s.name))</text>\n"
            y += 16
        }
        out += "</g>\n</svg>\n"
        return out
    }

    /// Writes `svg()` to `url` atomically (temporary file, then rename).
    public func write(to url: URL, width: Int = 800, height: Int = 450) throws {
        try MetricsLog.writeAtomically(Data(svg(width: width, height: height).utf8), to: url)
    }

    /// Coordinates with two decimals: enough for a screen, and short.
    private func f(_ v: Double) -> String { String(format: "%.2f", v) }

    /// Text and attribute escaping for XML.
    private func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters even as references.
                if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" { out += " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }
}

/// The plot rectangle inside the SVG and the data-to-pixel maps.
private struct PlotArea {
    let width: Double
    let height: Double
    var left: Double { 70 }
    var right: Double { width - 70 }
    var top: Double { 40 }
    var bottom: Double { height - 50 }

    func x(_ v: Double, _ s: NiceScale) -> Double { left + (v - s.lower) / (s.upper - s.lower) * (right - left) }
    func y(_ v: Double, _ s: NiceScale) -> Double { bottom - (v - s.lower) / (s.upper - s.lower) * (bottom - top) }
}

/// An axis range widened to round numbers, with 4–8 ticks at steps of
/// 1, 2 or 5 × 10ⁿ (Heckbert's "nice numbers" for graph labels).
struct NiceScale {
    let lower: Double
    let upper: Double
    let step: Double

    init(values: [Double], includeZero: Bool = false, targetTicks: Int = 6) {
        var lo = values.min() ?? 0
        var hi = values.max() ?? 1
        if includeZero { lo = min(lo, 0) }
        if hi - lo < 1e-12 * max(1, abs(hi)) {
            let pad = abs(hi) > 0 ? abs(hi) * 0.1 : 1
            lo -= pad
            hi += pad
        }
        let step = NiceScale.nice((hi - lo) / Double(targetTicks - 1))
        self.step = step
        self.lower = (lo / step).rounded(.down) * step
        self.upper = (hi / step).rounded(.up) * step
    }

    /// Tick positions from `lower` to `upper`.
    var ticks: [Double] {
        let n = Int(((upper - lower) / step).rounded())
        return (0...n).map { lower + Double($0) * step }
    }

    /// A tick label with as many decimals as the step needs.
    func label(_ v: Double) -> String {
        let decimals = max(0, Int((-log10(step)).rounded(.up)))
        let text = String(format: "%.\(decimals)f", v)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// The round number (1, 2, 5 or 10 × 10ⁿ) nearest to `x`.
    static func nice(_ x: Double) -> Double {
        let exponent = log10(x).rounded(.down)
        let fraction = x / pow(10, exponent)
        let niceFraction: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return niceFraction * pow(10, exponent)
    }
}
