// swift-tools-version:6.1
import PackageDescription

// Layers (see DESIGN.md): each target imports only targets above it in this list.
// CFinchBLAS, CFinchKernels, FinchSupport → FinchTensor → FinchNN → FinchText → FinchTransformers
// → FinchVision (images: decoding, transforms, conv models) → FinchDistributed (MPI, loaded at run time)
// → FinchTrain → FinchRecommend (which uses FinchNN's safetensors, not FinchTrain) → FinchApps
// → FinchServer (the only target that imports HTTP and database packages) → finch.
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
        .library(name: "FinchVision", targets: ["FinchVision"]),
        .library(name: "FinchTrain", targets: ["FinchTrain"]),
        .library(name: "FinchRecommend", targets: ["FinchRecommend"]),
        .library(name: "FinchApps", targets: ["FinchApps"]),
        .library(name: "FinchServer", targets: ["FinchServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Already in the graph through HummingbirdTesting; the dashboard's browser test speaks WebDriver with it
        // (chromedriver's header lines have no space after the colon, which Foundation's URLSession refuses).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
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
        .target(name: "FinchNN", dependencies: ["FinchSupport", "FinchTensor", "CFinchKernels"]),
        // Tokenizers: Foundation and FinchSupport only, no tensor code.
        .target(name: "FinchText", dependencies: ["FinchSupport"]),
        .target(name: "FinchTransformers", dependencies: ["FinchSupport", "FinchTensor", "FinchNN", "FinchText", "CFinchKernels"]),
        // PNG and JPEG decoding through Debian's libpng and libjpeg-turbo (C, because libjpeg reports
        // errors with longjmp, which must not cross Swift frames).
        .target(name: "CFinchImage", linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]),
        // Images: decoding, transforms, datasets, convolutional models (LeNet, ResNet).
        .target(name: "FinchVision", dependencies: ["FinchSupport", "FinchTensor", "FinchNN", "CFinchImage"]),
        // MPI, optional: libmpi is opened at run time (dlopen), so Finch builds and runs without it.
        .target(name: "CFinchMPI"),
        .target(name: "FinchDistributed", dependencies: ["FinchSupport", "CFinchMPI"]),
        .target(
            name: "FinchTrain",
            dependencies: ["FinchSupport", "FinchTensor", "FinchNN", "FinchText", "FinchTransformers", "FinchVision", "FinchDistributed"]),
        .target(name: "FinchRecommend", dependencies: ["FinchSupport", "FinchTensor", "FinchNN", "FinchDistributed"]),
        .target(
            name: "FinchApps",
            dependencies: [
                "FinchSupport", "FinchTensor", "FinchText", "FinchTransformers", "FinchVision", "FinchTrain", "FinchRecommend",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The service: the only target that imports HTTP and database packages (DESIGN.md "The service").
        .target(
            name: "FinchServer",
            dependencies: [
                "FinchTensor", "FinchText", "FinchTransformers", "FinchVision", "FinchTrain", "FinchRecommend", "FinchApps",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                // Monitor webhooks are POSTed with it (Sources/FinchServer/Monitor/WebhookTransport.swift).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            // The dashboard's static files and the OpenAPI document, compiled into the binary as byte
            // arrays (PackageResources), so a release binary serves them from any folder.
            resources: [.embedInCode("Dashboard/Web"), .embedInCode("OpenAPI/openapi.yaml")]
        ),
        // Test helpers: fixtures, tolerances, gradient checks (tensor level only) ...
        .target(name: "FinchTestSupport", dependencies: ["FinchTensor"]),
        // ... and what only transformer-level tests need: the fake model hub, model folders with broken heads.
        .target(name: "FinchHubTestSupport", dependencies: ["FinchTransformers", "FinchTestSupport"]),
        .executableTarget(
            name: "finch",
            dependencies: [
                "FinchSupport", "FinchTensor", "FinchNN", "FinchText", "FinchTransformers", "FinchTrain", "FinchRecommend", "FinchApps",
                "FinchServer", "FinchVision", "FinchDistributed",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "FinchBenchmarks",
            dependencies: ["FinchTensor", "FinchNN", "FinchTransformers", "CFinchKernels"],
            path: "Benchmarks/FinchBenchmarks"
        ),
        .executableTarget(name: "FinchTrainBenchmarks", dependencies: ["FinchTrain"], path: "Benchmarks/FinchTrainBenchmarks"),
        .executableTarget(
            name: "ClassicalBenchmarks", dependencies: ["FinchTrain", "FinchTransformers"], path: "Benchmarks/ClassicalBenchmarks"),
        .executableTarget(name: "FinchTextBenchmarks", dependencies: ["FinchText"], path: "Benchmarks/FinchTextBenchmarks"),
        .executableTarget(
            name: "RecommendBenchmarks", dependencies: ["FinchRecommend", "FinchTensor"], path: "Benchmarks/RecommendBenchmarks"),
        .executableTarget(name: "EmbedBenchmarks", dependencies: ["FinchTransformers", "FinchTensor"], path: "Benchmarks/EmbedBenchmarks"),
        .executableTarget(name: "ExplainBenchmarks", dependencies: ["FinchTrain"], path: "Benchmarks/ExplainBenchmarks"),
        .executableTarget(
            name: "ConvBenchmarks", dependencies: ["FinchVision", "FinchNN", "FinchTensor"], path: "Benchmarks/ConvBenchmarks"),
        .executableTarget(
            name: "VisionBenchmarks", dependencies: ["FinchTrain", "FinchVision", "FinchTensor"], path: "Benchmarks/vision/Swift"),
        .executableTarget(
            name: "MonitorBenchmarks", dependencies: ["FinchApps", "FinchSupport", "FinchTrain"],
            path: "Benchmarks/monitor/MonitorBenchmarks"),
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
        .testTarget(name: "FinchVisionTests", dependencies: ["FinchVision", "FinchTestSupport", "FinchSupport"]),
        .testTarget(name: "FinchDistributedTests", dependencies: ["FinchDistributed", "FinchSupport"]),
        .testTarget(name: "FinchAppsTests", dependencies: ["FinchApps", "FinchTestSupport"]),
        .testTarget(
            name: "FinchServerTests",
            dependencies: [
                "FinchServer", "FinchApps", "FinchTestSupport", "FinchTensor", "FinchNN", "FinchText", "FinchTransformers", "FinchTrain",
                "FinchRecommend", "FinchSupport", "FinchVision",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // Tamper with stored rows directly in the audit-trail tests.
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
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
                // Tamper with the store's audit trail in `finch audit-log verify --data-dir` tests.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
