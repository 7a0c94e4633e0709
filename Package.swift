// swift-tools-version: 6.1
// WearableIngest: a Linux daemon (ingestd) and its client (ingestctl) for BLE heart-rate straps.
// SPDX-License-Identifier: MIT
// (ingestd links libbluetooth, GPL-2.0-or-later, which MIT permits; Tests/Fixtures keep their own licences.)
//
// Dependency direction (see DESIGN.md): the pure targets HeartRateWire, Traces and Physiology
// import no C module, no Glibc, no Foundation and read no clock. Ingest composes them;
// IngestDaemon is the composition root; the executables are a few lines over it.
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "WearableIngest",
    products: [
        .executable(name: "ingestd", targets: ["ingestd"]),
        .executable(name: "ingestctl", targets: ["ingestctl"]),
        // The pure engine, for the benchmark package under Benchmarks/ and for embedding.
        .library(name: "WearableIngestEngine", targets: ["HeartRateWire", "Traces", "Physiology"]),
        // The daemon's receive path, for the receive-path benchmark.
        .library(name: "WearableIngestDaemon", targets: ["IngestDaemon", "Ingest", "Storage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // RealModule: exp/log for the engine without Foundation or Glibc in a pure target.
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        // The config file's TOML parser (toml++ underneath); key lines come from ConfigKeyLocator.
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        // The registry and text format of the node_exporter textfile metrics (GatewayMetrics).
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // FileDescriptor and Errno for the Storage target's files.
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // The state database (sessions, days, athletes): SQLite in WAL mode with migrations,
        // over the system libsqlite3 (libsqlite3-dev).
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // The live board's HTTP server and Server-Sent Events (ingestctl board); ingestd opens no port.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's logger type (already in the graph through Hummingbird).
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // MARK: C system libraries, each behind a module map and one shim header.
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .systemLibrary(
            name: "CBluetooth",
            pkgConfig: "bluez",
            providers: [.apt(["libbluetooth-dev"])]
        ),

        // MARK: Pure targets: no I/O, no clocks, no globals.
        .target(name: "HeartRateWire", swiftSettings: strictSwift),
        .target(name: "Traces", dependencies: ["HeartRateWire"], swiftSettings: strictSwift),
        .target(
            name: "Physiology",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: strictSwift
        ),

        // Charts as SVG text (no I/O): a session's heart rate on zone bands with its classes.
        .target(name: "Charts", dependencies: ["Ingest", "Physiology", "Traces"], swiftSettings: strictSwift),

        // MARK: The pipeline and the composition root.
        .target(
            name: "Ingest",
            dependencies: ["HeartRateWire", "Traces", "Physiology", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strictSwift
        ),
        // Everything that touches disk: atomic files, the raw-log writer, byte sources, the state
        // database (sessions, days, athletes) and the session exports — given to Ingest's
        // pipeline as its sinks.
        .target(
            name: "Storage",
            dependencies: ["Ingest", "HeartRateWire", "Traces", "Physiology", "SystemCall",
                           .product(name: "SystemPackage", package: "swift-system"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSwift
        ),
        // The one errno-based error (swift-system's Errno) of every target that makes system calls.
        .target(name: "SystemCall", dependencies: [.product(name: "SystemPackage", package: "swift-system")], swiftSettings: strictSwift),
        .target(name: "SystemdKit", dependencies: ["CSystemd", "SystemCall", .product(name: "SystemPackage", package: "swift-system")], swiftSettings: strictSwift),
        // BLE over BlueZ D-Bus: the object-manager mirror, discovery and the per-strap link machine.
        .target(name: "BlueZ", dependencies: ["SystemdKit", "HeartRateWire", "Ingest"], swiftSettings: strictSwift),
        // BLE without bluetoothd: the ATT client procedure (pure) and the L2CAP/AF_UNIX socket.
        .target(name: "DirectATT", dependencies: ["CBluetooth", "HeartRateWire", "SystemCall", .product(name: "SystemPackage", package: "swift-system")], swiftSettings: strictSwift),
        .target(
            name: "IngestDaemon",
            dependencies: [
                "Ingest", "Storage", "SystemdKit", "SystemCall", "BlueZ", "DirectATT", "HeartRateWire", "Traces", "Physiology",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: strictSwift
        ),

        // The live board: an HTTP server (Hummingbird) over the control socket's `devices`.
        .target(
            name: "Board",
            dependencies: ["Charts", "Ingest", "IngestDaemon", .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSwift
        ),

        // MARK: Executables.
        .executableTarget(
            name: "ingestd",
            dependencies: [
                "IngestDaemon", "Storage", "Traces",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "ingestctl",
            dependencies: [
                "IngestDaemon", "Ingest", "Storage", "Physiology", "Charts", "Board",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift
        ),

        // MARK: Tests mirror the sources.
        .target(name: "TestSupport", dependencies: ["HeartRateWire"], path: "Tests/TestSupport", swiftSettings: strictSwift),
        .testTarget(
            name: "HeartRateWireTests",
            dependencies: ["HeartRateWire", "TestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "TracesTests",
            dependencies: ["Traces", "HeartRateWire", "TestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "PhysiologyTests",
            dependencies: ["Physiology", "TestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IngestTests",
            dependencies: ["Ingest", "Traces", "HeartRateWire", "Physiology", "TestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "SystemCall", "Ingest", "Traces", "HeartRateWire", "Physiology", "TestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "ChartsTests",
            dependencies: ["Charts", "Ingest", "Physiology", "Traces", "TestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BoardTests",
            dependencies: ["Board", "TestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SystemCallTests",
            dependencies: ["SystemCall", .product(name: "SystemPackage", package: "swift-system"), "TestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "SystemLibraryTests",
            dependencies: ["CSystemd", "CBluetooth", "SystemdKit", "TestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "BlueZTests",
            dependencies: ["BlueZ", "SystemdKit", "HeartRateWire", "TestSupport"],
            swiftSettings: strictSwift
        ),
        // Integration tests start the real ingestd / ingestctl binaries.
        .testTarget(
            name: "DirectATTTests",
            dependencies: ["DirectATT", "HeartRateWire", "TestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Traces", "HeartRateWire", "Ingest", "Storage", "TestSupport", "IngestDaemon", "BlueZ"],
            swiftSettings: strictSwift
        ),
    ]
)
