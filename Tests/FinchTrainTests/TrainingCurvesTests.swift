import Foundation
import Testing

@testable import FinchTrain

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Elements and text collected by Foundation's XMLParser.
final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    private var current = ""

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        elements.append((name, attributes))
        current = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(current) }
        current = ""
    }

    static func parse(_ data: Data) throws -> SVGCollector {
        let collector = SVGCollector()
        let parser = XMLParser(data: data)
        parser.delegate = collector
        let ok = parser.parse()
        if !ok { throw parser.parserError ?? MetricsLogError.cannotRead(file: "svg", reason: "invalid XML") }
        return collector
    }
}

@Suite struct TrainingCurvesTests {
    func records() -> [MetricsRecord] {
        var out: [MetricsRecord] = []
        for step in stride(from: 10, through: 300, by: 10) {
            out.append(
                MetricsRecord(kind: .train, step: step, epoch: Double(step) / 100, values: ["loss": 0.7 * exp(-Double(step) / 150) + 0.05]))
            if step % 100 == 0 {
                out.append(
                    MetricsRecord(
                        kind: .eval, step: step, epoch: Double(step) / 100, values: ["loss": 0.4, "accuracy": 0.7 + Double(step) / 3000]))
            }
        }
        out.append(MetricsRecord(kind: .train, step: 310, epoch: 3.1, values: ["loss": .nan]))
        return out
    }

    @Test func writesValidSVGWithAxesTicksAndLegend() throws {
        let files = try TestFiles()
        defer { files.remove() }
        let url = files.directory.appendingPathComponent("training_curves.svg")
        let curves = TrainingCurves(records: records(), metric: "accuracy", title: "MiniLM <sentiment> & more")
        try curves.write(to: url)
        #expect(try FileManager.default.contentsOfDirectory(atPath: files.directory.path) == ["training_curves.svg"])

        let svg = try SVGCollector.parse(Data(contentsOf: url))
        #expect(svg.elements.first?.name == "svg")
        #expect(svg.elements.first?.attributes["width"] == "800")
        let polylines = svg.elements.filter { $0.name == "polyline" }
        #expect(polylines.count == 3)  // train loss, dev loss, dev accuracy
        // 30 finite training losses (the NaN is left out), 3 evaluations.
        #expect(polylines.map { $0.attributes["points"]!.split(separator: " ").count } == [30, 3, 3])
        #expect(svg.elements.filter { $0.name == "circle" }.count == 6)
        #expect(svg.texts.contains("MiniLM <sentiment> & more"))
        for legend in ["train loss", "dev loss", "dev accuracy", "step", "loss", "accuracy"] { #expect(svg.texts.contains(legend)) }
        // x ticks at round steps from 0 past 300; y ticks with decimals.
        #expect(svg.texts.contains("0") && svg.texts.contains("300"))
        #expect(svg.texts.contains { $0.hasPrefix("0.") })
        // Every coordinate lies inside the 800×450 canvas.
        for p in polylines {
            for pair in p.attributes["points"]!.split(separator: " ") {
                let xy = pair.split(separator: ",").map { Double($0)! }
                #expect(xy[0] >= 0 && xy[0] <= 800 && xy[1] >= 0 && xy[1] <= 450)
            }
        }
    }

    @Test func emptyAndSinglePointRunsStillDraw() throws {
        let empty = TrainingCurves(records: [], metric: "f1")
        let a = try SVGCollector.parse(Data(empty.svg().utf8))
        #expect(a.elements.filter { $0.name == "polyline" }.isEmpty)
        #expect(a.texts.contains("dev f1"))
        let one = TrainingCurves(records: [MetricsRecord(kind: .train, step: 1, epoch: 0, values: ["loss": 2])], metric: "f1")
        let b = try SVGCollector.parse(Data(one.svg(width: 400, height: 300).utf8))
        #expect(b.elements.filter { $0.name == "polyline" }.count == 1)
        #expect(!one.svg().contains("nan"))
    }

    @Test func niceScales() {
        // Range 0.7119 over 5 intervals is 0.142: the nearest nice step is 0.1 (1.42 < 1.5).
        let s = NiceScale(values: [0.0312, 0.7431])
        #expect(s.step == 0.1)
        #expect(s.lower == 0)
        #expect(Swift.abs(s.upper - 0.8) < 1e-12)
        #expect(s.ticks.count == 9)
        #expect(s.label(0.6) == "0.6")
        // 0.16 per interval rounds to 0.2; two decimals for a step of 0.05.
        #expect(NiceScale(values: [0, 0.8]).step == 0.2)
        #expect(NiceScale(values: [0.5, 0.7]).step == 0.05)
        #expect(NiceScale(values: [0.5, 0.7]).label(0.6) == "0.60")
        #expect(NiceScale(values: [0, 1234], includeZero: true).ticks.last! >= 1234)
        #expect(NiceScale(values: [0, 1234], includeZero: true).step == 200)
        #expect(NiceScale(values: [5, 5]).lower < 5)
        #expect(NiceScale(values: [5, 5]).upper > 5)
    }
}
