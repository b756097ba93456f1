import Foundation
import PackagePlugin

/// Records the commit a target is built from, for `sis-sync --version`: runs
/// `write-build-commit.sh`, which writes `BuildCommit.swift` (a constant
/// `buildCommit`) into the target's generated sources. A prebuild command,
/// since only those run on every build: a new commit changes no input file.
@main
struct BuildCommit: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let script = context.package.directoryURL.appending(path: "Plugins/BuildCommit/write-build-commit.sh")
    let output = context.pluginWorkDirectoryURL.appending(path: "generated")
    return [
      .prebuildCommand(
        displayName: "Recording the commit \(target.name) is built from",
        executable: URL(fileURLWithPath: "/bin/sh"),
        arguments: [script.path, context.package.directoryURL.path, output.path],
        outputFilesDirectory: output)
    ]
  }
}
