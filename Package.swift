// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "newsd",
    products: [
        .executable(name: "newsd", targets: ["newsd"]),
        .executable(name: "newsctl", targets: ["newsctl"]),
        .executable(name: "newsweb", targets: ["newsweb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Without its default traits: newsweb reads no swift-configuration settings.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: []),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
    ],
    targets: [
        .target(name: "CSystemShims"),
        // Byte-exact relative paths, stat and errno wrappers, the tree root, and the reader
        // threads' claim-the-next-index work.
        .target(name: "NewsCore", dependencies: ["CSystemShims"]),
        // The MinHash signature loop for CPUs with AVX-512 (chosen at run time).
        .target(name: "CMinHash"),
        // One article's analysis, pure: decoding, normalising, lines and boilerplate, language
        // and script, title, dates, shingles, MinHash, snippets. No SQL, no file I/O.
        .target(
            name: "TextAnalysis",
            dependencies: ["CMinHash", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Near duplicates: LSH banding and the in-memory band table, verification, the clusterer
        // and the incremental cluster maintenance over the `ClusterGraph` a catalogue implements,
        // and `ContentAnalysis` (what a catalogue stores of one analysis). No SQL, no files.
        .target(name: "Dedup", dependencies: ["TextAnalysis"]),
        // A measurement tool for the analysis scripts in scripts/ (language agreement, the
        // labelled near-duplicate set); not installed.
        .executableTarget(
            name: "analysis-probe",
            dependencies: ["Dedup", "TextAnalysis", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The control protocol's wire: what newsctl and the daemon exchange, and the blocking
        // client. Foundation and Glibc only, so that newsctl links nothing of the daemon.
        .target(name: "ControlWire"),
        // The catalogue: the only module that speaks SQL. `AppDatabase` (GRDB), the migrations
        // (one per file in Migrations/), the single write path and its change log, the reads,
        // the candidate index (Dedup's band table in memory or the band file beside the
        // catalogue), FTS5 and its merging, WAL checkpoints. The seam for another backend.
        .target(
            name: "Catalogue",
            dependencies: [
                "Dedup",
                "NewsCore",
                "TextAnalysis",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Ingest, the sync engine: settings, ignore rules, the walk, the safe reader, the
        // reconciler, inotify watching, the coalescer and the engine thread with its hub.
        .target(
            name: "SyncCore",
            dependencies: [
                "Catalogue",
                "ControlWire",
                "CSystemShims",
                "Dedup",
                "NewsCore",
                "TextAnalysis",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The daemon's side of the control socket, on SwiftNIO: listener, framing, the server
        // as a Service, one file per family of methods.
        .target(
            name: "ControlServer",
            dependencies: [
                "Catalogue",
                "ControlWire",
                "CSystemShims",
                "NewsCore",
                "SyncCore",
                "TextAnalysis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The daemon around the engine: the engine's Service, change-log retention, opening
        // (or refusing) the catalogue at start, sd_notify, the instance lock, log lines.
        .target(
            name: "Daemon",
            dependencies: [
                "Catalogue",
                "NewsCore",
                "SyncCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "newsd",
            dependencies: [
                "Catalogue",
                "ControlServer",
                "ControlWire",
                "Daemon",
                "NewsCore",
                "SyncCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Release builds link with lld and pack the relative relocations (DT_RELR, glibc
            // 2.36+): the static binary's 104,000 of them were a 2.5 MB table the loader reads
            // at every start and that stayed resident (1.5-2.9 MiB of the daemon's peak RSS).
            linkerSettings: [
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                    .when(configuration: .release))
            ]
        ),
        .executableTarget(
            name: "newsctl",
            dependencies: [
                "ControlWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The web page: a client of the control socket (ControlWire), never of the daemon's
        // internals; loopback only, behind a token.
        .executableTarget(
            name: "newsweb",
            dependencies: [
                "ControlWire",
                "CSystemShims",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // As newsd: lld and packed relative relocations in release builds (resident memory).
            linkerSettings: [
                .unsafeFlags(
                    ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"],
                    .when(configuration: .release))
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["TextAnalysis", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "ControlWireTests", dependencies: ["ControlWire"]),
        .testTarget(name: "NewsCoreTests", dependencies: ["NewsCore"]),
        .testTarget(name: "DedupTests", dependencies: ["Dedup", "TestSupport", "TextAnalysis"]),
        .testTarget(
            name: "TextAnalysisTests",
            dependencies: ["TextAnalysis", "TestSupport"]
        ),
        .testTarget(
            name: "NewsWebTests",
            dependencies: [
                "ControlWire", "newsweb", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "CatalogueTests",
            dependencies: [
                "Catalogue", "Dedup", "NewsCore", "TestSupport", "TextAnalysis",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "SyncCoreTests",
            dependencies: [
                "Catalogue", "ControlWire", "Dedup", "NewsCore", "SyncCore", "TestSupport", "TextAnalysis",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(name: "ControlServerTests", dependencies: ["ControlServer"]),
        .testTarget(
            name: "DaemonTests",
            dependencies: ["Daemon", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "Catalogue", "ControlWire", "NewsCore", "SyncCore", "TestSupport", "newsd", "newsctl",
                "newsweb",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
