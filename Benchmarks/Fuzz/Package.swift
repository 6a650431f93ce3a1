// swift-tools-version:6.1
import PackageDescription

// Coverage-guided fuzzers (libFuzzer, the Swift toolchain's -sanitize=fuzzer) over
// Finch's readers of untrusted files. A separate package so the main build and CI
// never compile them; Benchmarks/run_fuzz.sh builds and runs them.
let package = Package(
    name: "FinchFuzz",
    dependencies: [.package(name: "Finch", path: "../..")],
    targets: [
        // The safetensors header parser and the tensor reads it allows.
        .executableTarget(name: "FuzzSafetensors", dependencies: [.product(name: "FinchNN", package: "Finch")]),
        // tokenizer.json loading, then encoding with the loaded tokenizer.
        .executableTarget(name: "FuzzTokenizerJSON", dependencies: [.product(name: "FinchText", package: "Finch")]),
        // The CSV/TSV reader of labelled texts.
        .executableTarget(name: "FuzzCSV", dependencies: [.product(name: "FinchTrain", package: "Finch")]),
    ],
    swiftLanguageModes: [.v6]
)
