// swift-tools-version:6.1
import PackageDescription

// Layers (see DESIGN.md): each target imports only targets above it in this list.
// CFinchBLAS, CFinchKernels → FinchTensor → FinchNN → FinchText → FinchTransformers
// → FinchTrain → FinchRecommend → finch.
// Kernels: CFinchKernels (Finch's C kernels: one CPU dispatch, row kernels, activations,
// the GEMM) is used by FinchTensor and by FinchTransformers' inference path; CFinchBLAS
// (the system BLAS) only by FinchTensor, whose GEMM API is the one way to BLAS.
let package = Package(
    name: "Finch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "finch", targets: ["finch"]),
        .library(name: "FinchTensor", targets: ["FinchTensor"]),
        .library(name: "FinchNN", targets: ["FinchNN"]),
        .library(name: "FinchText", targets: ["FinchText"]),
        .library(name: "FinchTransformers", targets: ["FinchTransformers"]),
        .library(name: "FinchTrain", targets: ["FinchTrain"]),
        .library(name: "FinchRecommend", targets: ["FinchRecommend"]),
        .library(name: "FinchApps", targets: ["FinchApps"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // System BLAS. On Linux OpenBLAS through pkg-config; on macOS the seam is
        // the Accelerate branch of shim.h.
        .systemLibrary(
            name: "CFinchBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Finch's C kernels (GEMM micro-kernels, row kernels, activations): per-function
        // target attributes plus one run-time CPU dispatch, so no unsafe flags are needed.
        .target(name: "CFinchKernels"),
        // What every layer shares and none owns: delimited text, JSON Lines, JSON values,
        // atomic writes, top-k, progress events, error locations. Foundation only.
        .target(name: "FinchSupport"),
        .target(name: "FinchTensor", dependencies: ["CFinchBLAS", "CFinchKernels"]),
        .target(name: "FinchNN", dependencies: ["FinchSupport", "FinchTensor"]),
        // Tokenizers: Foundation and FinchSupport only, no tensor code.
        .target(name: "FinchText", dependencies: ["FinchSupport"]),
        .target(name: "FinchTransformers", dependencies: ["FinchSupport", "FinchTensor", "FinchNN", "FinchText", "CFinchKernels"]),
        .target(name: "FinchTrain", dependencies: ["FinchSupport", "FinchTensor", "FinchNN", "FinchText", "FinchTransformers"]),
        .target(name: "FinchRecommend", dependencies: ["FinchSupport", "FinchTensor", "FinchNN"]),
        .target(name: "FinchApps", dependencies: ["FinchSupport", "FinchTensor", "FinchText", "FinchTransformers"]),
        // Test helpers: fixtures, tolerances, gradient checks (tensor level only) ...
        .target(name: "FinchTestSupport", dependencies: ["FinchTensor"]),
        // ... and what only transformer-level tests need: the fake model hub, model folders with broken heads.
        .target(name: "FinchHubTestSupport", dependencies: ["FinchTransformers", "FinchTestSupport"]),
        .executableTarget(
            name: "finch",
            dependencies: [
                "FinchSupport", "FinchTensor", "FinchNN", "FinchText", "FinchTransformers", "FinchTrain", "FinchRecommend", "FinchApps",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "FinchBenchmarks",
            dependencies: ["FinchTensor", "FinchNN", "FinchTransformers", "CFinchKernels"],
            path: "Benchmarks/FinchBenchmarks"
        ),
        .executableTarget(name: "FinchTrainBenchmarks", dependencies: ["FinchTrain"], path: "Benchmarks/FinchTrainBenchmarks"),
        .executableTarget(name: "FinchTextBenchmarks", dependencies: ["FinchText"], path: "Benchmarks/FinchTextBenchmarks"),
        .executableTarget(name: "RecommendBenchmarks", dependencies: ["FinchRecommend", "FinchTensor"], path: "Benchmarks/RecommendBenchmarks"),
        .executableTarget(name: "EmbedBenchmarks", dependencies: ["FinchTransformers", "FinchTensor"], path: "Benchmarks/EmbedBenchmarks"),
        .testTarget(
            name: "FinchSupportTests", dependencies: ["FinchSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "FinchTensorTests", dependencies: ["FinchTensor", "FinchTestSupport"]),
        .testTarget(
            name: "FinchNNTests",
            dependencies: ["FinchNN", "FinchTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "FinchTextTests",
            dependencies: ["FinchText", "FinchTestSupport", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "FinchTransformersTests", dependencies: ["FinchTransformers", "FinchTestSupport", "FinchHubTestSupport"]),
        .testTarget(name: "FinchTrainTests", dependencies: ["FinchTrain", "FinchSupport", "FinchTestSupport"]),
        .testTarget(
            name: "FinchRecommendTests",
            dependencies: [
                "FinchRecommend", "FinchSupport", "FinchTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(name: "FinchAppsTests", dependencies: ["FinchApps", "FinchTestSupport"]),
        // Property-based tests of the readers of untrusted input (random files and texts).
        .testTarget(
            name: "FinchPropertyTests",
            dependencies: [
                "FinchSupport", "FinchNN", "FinchText", "FinchTrain", .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "FinchCLITests",
            dependencies: [
                "finch", "FinchNN", "FinchRecommend", "FinchSupport", "FinchTestSupport", "FinchHubTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
