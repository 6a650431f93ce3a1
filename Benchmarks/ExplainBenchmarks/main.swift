// Integrated-gradients speed, the Finch side of Benchmarks/run_explain.sh (which runs Captum on the
// same folder and text in the same session and prints the ratios).
// Usage: ExplainBenchmarks --model DIR --text FILE [--steps 50] [--batch 50] [--runs 5]
// Prints one JSON line: wall and CPU seconds of each timed explanation (after one warm-up), the
// convergence delta and the token count.
import FinchTrain
import Foundation

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let key = arguments.popFirst() {
    guard key.hasPrefix("--"), let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("usage: ExplainBenchmarks --model DIR --text FILE [--steps N] [--batch N] [--runs N]\n".utf8))
        exit(64)
    }
    options[String(key.dropFirst(2))] = value
}

/// This process's CPU time in seconds (user + system).
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

do {
    let steps = Int(options["steps"] ?? "") ?? 50, batch = Int(options["batch"] ?? "") ?? steps
    let runs = Int(options["runs"] ?? "") ?? 5
    let text = try String(contentsOfFile: options["text"] ?? "text.txt", encoding: .utf8)
    let explainer = try TextExplainer(directory: URL(fileURLWithPath: options["model"] ?? "."))
    let settings = ExplanationOptions(method: .ig, steps: steps, internalBatchSize: batch)
    var explanation = try explainer.explain(text, options: settings)[0]
    var walls: [Double] = [], cpus: [Double] = []
    for _ in 0..<runs {
        let w0 = DispatchTime.now().uptimeNanoseconds, c0 = cpuSeconds()
        explanation = try explainer.explain(text, options: settings)[0]
        cpus.append(cpuSeconds() - c0)
        walls.append(Double(DispatchTime.now().uptimeNanoseconds - w0) / 1e9)
    }
    guard case .classifier(let task) = explainer.model else { throw ExplanationError.noWords }
    let tokens = task.tokenizer.encode(text).count
    let row: [String: Any] = [
        "impl": "finch", "steps": steps, "batch": batch, "tokens": tokens, "wall": walls, "cpu": cpus,
        "delta": explanation.delta ?? .nan,
    ]
    print(String(decoding: try JSONSerialization.data(withJSONObject: row, options: [.sortedKeys]), as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("ExplainBenchmarks: \(error)\n".utf8))
    exit(1)
}
