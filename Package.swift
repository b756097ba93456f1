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
    // The shared engine: reading, mapping, validating (and later planning,
    // applying). No terminal code: the review screen and the headless
    // commands both stand on it.
    .target(
      name: "SyncEngine",
      dependencies: [
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: releaseSpeed
    ),
    // The one binary. Commands only wire options to the engine and print.
    .executableTarget(
      name: "sis-sync",
      dependencies: [
        "SyncEngine",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "SyncEngineTests", dependencies: ["SyncEngine"]),
    // Runs the built binary as a user would (exit codes, output formats).
    .testTarget(name: "CLITests", dependencies: ["sis-sync"]),
  ],
  swiftLanguageModes: [.v6]
)
