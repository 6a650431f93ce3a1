// swift-tools-version:6.1
import PackageDescription

// Coverage-guided fuzzers (libFuzzer, the Swift toolchain's -sanitize=fuzzer) over
// Finch's readers of untrusted files. A separate package so the main build and CI
// never compile them; Benchmarks/run_fuzz.sh builds and runs them.
let package = Package(
    name: "FinchFuzz",
    dependencies: [.package(name: "Finch", path: "../..")],
    targets: [
        // libFuzzer's driver entry point, declared for Swift.
        .target(name: "CFuzzDriver"),
        // The driver call and the scratch input file every harness uses.
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
        // The safetensors header parser and the tensor reads it allows.
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzSupport", .product(name: "FinchNN", package: "Finch")]),
        // tokenizer.json loading, then encoding with the loaded tokenizer.
        .executableTarget(name: "FuzzTokenizerJSON", dependencies: ["FuzzSupport", .product(name: "FinchText", package: "Finch")]),
        // The delimited-text readers: labelled texts (CSV/TSV/JSONL) and ratings files.
        .executableTarget(
            name: "FuzzCSV",
            dependencies: [
                "FuzzSupport", .product(name: "FinchTrain", package: "Finch"), .product(name: "FinchRecommend", package: "Finch"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
