// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Finch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "finch", targets: ["finch"]),
        .library(name: "FinchTensor", targets: ["FinchTensor"]),
        .library(name: "FinchNN", targets: ["FinchNN"]),
        .library(name: "FinchTrain", targets: ["FinchTrain"]),
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
        .target(name: "FinchTrain", dependencies: ["FinchTensor", "FinchNN"]),
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
            name: "FinchTrainBenchmarks",
            dependencies: ["FinchTrain"],
            path: "Benchmarks/FinchTrainBenchmarks"
        ),
        .testTarget(
            name: "FinchTensorTests",
            dependencies: ["FinchTensor", "FinchTestSupport"]
        ),
        .testTarget(
            name: "FinchNNTests",
            dependencies: ["FinchNN", "FinchTestSupport"],
            resources: []
        ),
        .testTarget(
            name: "FinchTrainTests",
            dependencies: ["FinchTrain", "FinchTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
