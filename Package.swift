// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Finch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "finch", targets: ["finch"]),
        .library(name: "FinchTensor", targets: ["FinchTensor"]),
        .library(name: "FinchNN", targets: ["FinchNN"]),
        .library(name: "FinchTransformers", targets: ["FinchTransformers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // System BLAS. On Linux OpenBLAS through pkg-config; on macOS the seam is
        // the `FINCH_ACCELERATE` branch of shim.h.
        .systemLibrary(
            name: "CFinchBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Hand-written kernels that need wide FMA: per-function target
        // attributes plus a runtime CPU check, so no unsafe flags are needed.
        .target(name: "CFinchKernels"),
        .target(name: "FinchTensor", dependencies: ["CFinchBLAS", "CFinchKernels"]),
        .target(name: "FinchNN", dependencies: ["FinchTensor"]),
        .target(name: "FinchTestSupport", dependencies: ["FinchTensor", "FinchNN"]),
        // Row kernels of the BERT inference path (layer norm, GELU, softmax),
        // vectorised per CPU through function-level target attributes.
        .target(name: "CFinchBertKernels"),
        .target(name: "FinchTransformers", dependencies: ["FinchTensor", "FinchNN", "CFinchBLAS", "CFinchBertKernels"]),
        .executableTarget(
            name: "finch",
            dependencies: [
                "FinchTensor", "FinchNN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "FinchBenchmarks",
            dependencies: ["FinchTensor", "FinchNN", "CFinchBLAS"],
            path: "Benchmarks/FinchBenchmarks"
        ),
        .executableTarget(
            name: "EmbedBenchmarks",
            dependencies: ["FinchTransformers", "FinchTensor", "CFinchBLAS"],
            path: "Benchmarks/EmbedBenchmarks"
        ),
        .testTarget(
            name: "FinchTensorTests",
            dependencies: ["FinchTensor", "FinchTestSupport"]
        ),
        .testTarget(
            name: "FinchTransformersTests",
            dependencies: ["FinchTransformers", "FinchTestSupport"]
        ),
        .testTarget(
            name: "FinchNNTests",
            dependencies: ["FinchNN", "FinchTestSupport"],
            resources: []
        ),
    ],
    swiftLanguageModes: [.v6]
)
