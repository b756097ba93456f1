// swift-tools-version: 6.1
import PackageDescription

// Hot loops over a million rows keep their state in class properties;
// runtime exclusivity checks cost a fifth of `validate`'s time there. Debug
// builds (and so the tests) keep the checks. The engine's layers call each
// other's small functions in those loops: cross-module optimisation lets
// release builds inline them as within one module
// (Benchmarks/before-after.sh measured the split).
let releaseSpeed: [SwiftSetting] = [
  .unsafeFlags(["-enforce-exclusivity=unchecked", "-cross-module-optimization"], .when(configuration: .release))
]

let package = Package(
  name: "sis-sync",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "sis-sync", targets: ["sis-sync"]),
    .library(name: "SyncEngine", targets: ["SyncEngine"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
  ],
  targets: [
    // The engine, in layers; each may import only the layers below it
    // (docs/ARCHITECTURE.md), and CI fails a target that imports one it
    // does not declare. No terminal code: the review screen and the
    // headless commands both stand on it.
    //
    // Values and tools every layer uses: export columns, vocabularies, row
    // storage, bytes, files, digests, timings.
    .target(
      name: "SyncModel",
      dependencies: ["CPrefetch", "CFileSystem", "CMemoryMap", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: releaseSpeed),
    // The compiler's prefetch hint, which Swift has no spelling for.
    .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
    // The kind of file system a file is on (statfs), which Glibc's module lacks.
    .systemLibrary(name: "CFileSystem", path: "Sources/CFileSystem"),
    // Growing a mapping by moving its pages (mremap), a GNU extension.
    .systemLibrary(name: "CMemoryMap", path: "Sources/CMemoryMap"),
    // Reading an export: CSV, mappings and presets, validation and findings.
    .target(
      name: "ExportReading", dependencies: ["SyncModel", "CLineScan", "CEmailScan"], swiftSettings: releaseSpeed),
    // A CSV line's commas found sixteen bytes at a time (SSE2).
    .systemLibrary(name: "CLineScan", path: "Sources/CLineScan"),
    // An email's dots, `@`s and allowed bytes found sixteen at a time (SSE2).
    .systemLibrary(name: "CEmailScan", path: "Sources/CEmailScan"),
    // The directory behind one small protocol of record operations, and
    // its stores (the SQLite file; in memory). Knows nothing of plans.
    .target(
      name: "SyncDirectory",
      dependencies: [
        "SyncModel", "ExportReading",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ], swiftSettings: releaseSpeed),
    // libpq, PostgreSQL's reference C client (docs/ARCHITECTURE.md says why
    // this one): its declarations only; the library is loaded at the first
    // connection (PostgreSQLDirectory/LibPQ.swift).
    .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", providers: [.apt(["libpq-dev"])]),
    // The directory on a PostgreSQL server (many districts, many admins).
    // Only the binary, its tests and benchmarks depend on it: the engine
    // and the fuzzers never build libpq.
    .target(
      name: "PostgreSQLDirectory", dependencies: ["CLibPQ", "SyncModel", "ExportReading", "SyncDirectory"],
      swiftSettings: releaseSpeed),
    // What is planned against the directory: plans, review decisions,
    // sessions and live plans.
    .target(
      name: "SyncPlanning", dependencies: ["SyncModel", "ExportReading", "SyncDirectory"], swiftSettings: releaseSpeed),
    // The rules of writing, on any store inside its transaction: apply,
    // verification, revert, import and export.
    .target(
      name: "SyncApplying", dependencies: ["SyncModel", "ExportReading", "SyncDirectory", "SyncPlanning"],
      swiftSettings: releaseSpeed),
    // Reports for people and scripts: validation, plans, runs.
    .target(
      name: "SyncReporting",
      dependencies: ["SyncModel", "ExportReading", "SyncDirectory", "SyncPlanning", "SyncApplying"],
      swiftSettings: releaseSpeed),
    // The engine's one public face: re-exports the layers above, so the
    // review screen and the commands import `SyncEngine` alone.
    .target(
      name: "SyncEngine",
      dependencies: ["SyncModel", "ExportReading", "SyncDirectory", "SyncPlanning", "SyncApplying", "SyncReporting"]),
    // A frame as a grid of styled cells, keys, display widths: what the
    // review screen paints and the terminal draws. Plain Swift.
    .target(name: "TextScreen"),
    // The review screen as update and view (state, events, effects, the
    // binding table, the frame): plain Swift, no curses, testable without
    // a terminal.
    .target(name: "ReviewUI", dependencies: ["SyncEngine", "TextScreen"]),
    // ncursesw (wide characters) with small wrappers for what Swift cannot
    // import (macros, C globals).
    .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
    // glibc's malloc tuning, which the Glibc module leaves out.
    .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
    // The only code that touches curses: keys in, changed rows out, the
    // terminal restored on every exit.
    .target(name: "Terminal", dependencies: ["CNcurses", "TextScreen"]),
    // The one binary. Commands only wire options to the engine and print.
    .executableTarget(
      name: "sis-sync",
      dependencies: [
        "SyncEngine", "ReviewUI", "Terminal", "TextScreen", "PostgreSQLDirectory", "CMalloc",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      plugins: ["BuildCommit"]
    ),
    // Writes the commit being built into the binary, for `sis-sync --version`.
    .plugin(name: "BuildCommit", capability: .buildTool()),
    // Key-to-frame timing of the review screen (Benchmarks/review-keys.sh).
    .executableTarget(
      name: "review-bench", dependencies: ["ReviewUI", "SyncEngine", "TextScreen"], path: "Benchmarks/review-bench"),
    // libFuzzer harnesses (Fuzz/README.md; Fuzz/run.sh builds them with
    // -sanitize=fuzzer). A normal build compiles them as binaries that only
    // say how to fuzz.
    .target(name: "FuzzDriver", path: "Fuzz/driver"),
    // Each depends on the layers it reads through, no more: the fuzz build
    // (release, with the address sanitizer) is CI's longest step.
    .executableTarget(name: "fuzz-csv", dependencies: ["SyncModel", "ExportReading", "FuzzDriver"], path: "Fuzz/csv"),
    .executableTarget(
      name: "fuzz-mapping", dependencies: ["ExportReading", "SyncPlanning", "FuzzDriver"], path: "Fuzz/mapping"),
    .executableTarget(
      name: "fuzz-files", dependencies: ["ExportReading", "SyncPlanning", "FuzzDriver"], path: "Fuzz/files"),
    .executableTarget(name: "fuzz-cache", dependencies: ["SyncDirectory", "FuzzDriver"], path: "Fuzz/cache"),
    // The list of directory stores the directory tests run against.
    .target(name: "StoreKinds", dependencies: ["SyncEngine", "PostgreSQLDirectory"], path: "Tests/StoreKinds"),
    // Where the sample exports are (ours, and other projects' real files).
    .target(name: "SampleFiles", path: "Tests/SampleFiles"),
    .testTarget(
      name: "SyncEngineTests",
      dependencies: [
        "SyncEngine", "SyncModel", "ExportReading", "SyncDirectory", "SyncPlanning", "SyncApplying", "SyncReporting",
        "StoreKinds", "SampleFiles",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .testTarget(name: "ReviewUITests", dependencies: ["ReviewUI", "TextScreen", "SyncEngine", "StoreKinds"]),
    .testTarget(name: "TerminalTests", dependencies: ["Terminal", "TextScreen", "CNcurses"]),
    // Runs the built binary as a user would (exit codes, output formats).
    .testTarget(name: "CLITests", dependencies: ["sis-sync", "SampleFiles", "StoreKinds"]),
  ],
  swiftLanguageModes: [.v6]
)
