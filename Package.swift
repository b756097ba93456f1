// swift-tools-version: 6.1
import PackageDescription

// Hot loops over a million rows keep their state in class properties;
// runtime exclusivity checks cost a fifth of `validate`'s time there. Debug
// builds (and so the tests) keep the checks.
let releaseSpeed: [SwiftSetting] = [
  .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
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
    // The shared engine: reading, mapping, validating, planning, review
    // decisions, applying and reports. No terminal code: the review screen
    // and the headless commands both stand on it.
    .target(
      name: "SyncEngine",
      dependencies: [
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: releaseSpeed
    ),
    // A frame as a grid of styled cells, keys, display widths: what the
    // review screen paints and the terminal draws. Plain Swift.
    .target(name: "TextScreen"),
    // The review screen's state, key bindings, reducer and rendering: plain
    // Swift, no curses, testable without a terminal.
    .target(name: "ReviewUI", dependencies: ["SyncEngine", "TextScreen"]),
    // ncursesw (wide characters) with small wrappers for what Swift cannot
    // import (macros, C globals).
    .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
    // The only code that touches curses: keys in, changed rows out, the
    // terminal restored on every exit.
    .target(name: "Terminal", dependencies: ["CNcurses", "TextScreen"]),
    // The one binary. Commands only wire options to the engine and print.
    .executableTarget(
      name: "sis-sync",
      dependencies: [
        "SyncEngine", "ReviewUI", "Terminal", "TextScreen",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Key-to-frame timing of the review screen (Benchmarks/review-keys.sh).
    .executableTarget(
      name: "review-bench", dependencies: ["ReviewUI", "SyncEngine", "TextScreen"], path: "Benchmarks/review-bench"),
    // libFuzzer harnesses (Fuzz/README.md; Fuzz/run.sh builds them with
    // -sanitize=fuzzer). A normal build compiles them as binaries that only
    // say how to fuzz.
    .target(name: "FuzzDriver", path: "Fuzz/driver"),
    .executableTarget(name: "fuzz-csv", dependencies: ["SyncEngine", "FuzzDriver"], path: "Fuzz/csv"),
    .executableTarget(name: "fuzz-mapping", dependencies: ["SyncEngine", "FuzzDriver"], path: "Fuzz/mapping"),
    .executableTarget(name: "fuzz-files", dependencies: ["SyncEngine", "FuzzDriver"], path: "Fuzz/files"),
    .executableTarget(name: "fuzz-cache", dependencies: ["SyncEngine", "FuzzDriver"], path: "Fuzz/cache"),
    .testTarget(
      name: "SyncEngineTests", dependencies: ["SyncEngine", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(name: "ReviewUITests", dependencies: ["ReviewUI", "TextScreen", "SyncEngine"]),
    .testTarget(name: "TerminalTests", dependencies: ["Terminal", "TextScreen", "CNcurses"]),
    // Runs the built binary as a user would (exit codes, output formats).
    .testTarget(name: "CLITests", dependencies: ["sis-sync"]),
  ],
  swiftLanguageModes: [.v6]
)
