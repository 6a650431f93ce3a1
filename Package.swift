// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Finch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "finch", targets: ["finch"]),
        .library(name: "FinchTensor", targets: ["FinchTensor"]),
        .library(name: "FinchNN", targets: ["FinchNN"]),
        .library(name: "FinchRecommend", targets: ["FinchRecommend"]),
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
        .target(name: "FinchRecommend", dependencies: ["FinchTensor", "CFinchBLAS"]),
        .target(name: "FinchTestSupport", dependencies: ["FinchTensor", "FinchNN"]),
        .executableTarget(
            name: "finch",
            dependencies: [
                "FinchTensor", "FinchNN", "FinchRecommend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "FinchBenchmarks",
            dependencies: ["FinchTensor", "FinchNN", "CFinchBLAS"],
            path: "Benchmarks/FinchBenchmarks"
        ),
        .testTarget(
            name: "FinchTensorTests",
            dependencies: ["FinchTensor", "FinchTestSupport"]
        ),
        .testTarget(
            name: "FinchRecommendTests",
            dependencies: ["FinchRecommend", "FinchTestSupport"]
        ),
        .testTarget(name: "FinchRecommendCLITests", dependencies: ["finch"]),
        .executableTarget(
            name: "RecommendBenchmarks",
            dependencies: ["FinchRecommend", "FinchTensor"],
            path: "Benchmarks/RecommendBenchmarks"
        ),
        .testTarget(
            name: "FinchNNTests",
            dependencies: ["FinchNN", "FinchTestSupport"],
            resources: []
        ),
    ],
    swiftLanguageModes: [.v6]
)
