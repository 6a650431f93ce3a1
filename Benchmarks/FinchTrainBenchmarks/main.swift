// Reader speed: the classification CSV and the CoNLL/BIO readers on the shared
// data sets. Run through Benchmarks/run_data_readers.sh, which times Python's
// csv module and pandas on the same files in the same session and prints ratios.
// Usage: FinchTrainBenchmarks [CSV] [BIO] [REPEATS]
import FinchTrain
import Foundation

let arguments = CommandLine.arguments
let csv = arguments.count > 1 ? arguments[1] : "../shared/data/sentiment-en/rotten_tomatoes_train.csv"
let bio = arguments.count > 2 ? arguments[2] : "../shared/data/ner-zh/msra_train.bio"
let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 5 : 5

/// This process's CPU time in seconds (user + system), which other jobs on a
/// shared machine do not inflate the way they inflate wall time.
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Median wall and CPU seconds of `body` over `repeats` calls, after one warm-up.
func medianSeconds(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    try body()
    var walls: [Double] = []
    var cpus: [Double] = []
    for _ in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let c0 = cpuSeconds()
        try body()
        cpus.append(cpuSeconds() - c0)
        walls.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    return (walls.sorted()[walls.count / 2], cpus.sorted()[cpus.count / 2])
}

/// `name<TAB>cpu seconds<TAB>extra` (the wall time goes into extra).
func report(_ name: String, _ t: (wall: Double, cpu: Double), _ extra: String) {
    print("\(name)\t\(String(format: "%.6f", t.cpu))\twall=\(String(format: "%.6f", t.wall)) \(extra)")
}

func megabytes(_ path: String) throws -> Double {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return Double((attributes[.size] as? NSNumber)?.intValue ?? 0) / 1e6
}

do {
    var rows = 0
    let csvSeconds = try medianSeconds { rows = try ClassificationReader().read(URL(fileURLWithPath: csv)).count }
    report("csv_read", csvSeconds, "rows=\(rows) MB/s=\(String(format: "%.0f", try megabytes(csv) / csvSeconds.cpu))")
    var sentences = 0
    var tokens = 0
    let bioSeconds = try medianSeconds {
        let s = try CoNLLReader().read(URL(fileURLWithPath: bio))
        sentences = s.count
        tokens = s.reduce(0) { $0 + $1.tokens.count }
    }
    report("bio_read", bioSeconds, "sentences=\(sentences) tokens=\(tokens) MB/s=\(String(format: "%.0f", try megabytes(bio) / bioSeconds.cpu))")
    let examples = try ClassificationReader().read(URL(fileURLWithPath: csv))
    let split = try medianSeconds { _ = try HoldOutSplit(examples, seed: 42, file: csv, stratifyBy: \.label) }
    report("holdout_split", split, "n=\(examples.count) stratified")
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
