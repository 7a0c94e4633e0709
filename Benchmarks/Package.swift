// swift-tools-version: 6.1
// Benchmarks live in their own package so the test build never compiles ordo-one/benchmark.
// Run from the repository root:  swift package --package-path Benchmarks benchmark
import PackageDescription

// A path dependency is identified by its folder's name, which is whatever the checkout is called.
let productPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "main")

let package = Package(
    name: "WearableIngestBenchmarks",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WearableIngestEngine", package: productPackage),
                .product(name: "WearableIngestDaemon", package: productPackage),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
