import ExportReading
import Foundation
import SyncModel

/// Where the directory database lives: `--directory PATH`, else the
/// `SIS_SYNC_DIRECTORY` environment variable, else
/// `$XDG_DATA_HOME/sis-sync/directory.sqlite` (by default
/// `~/.local/share/sis-sync/directory.sqlite`).
public enum DirectoryLocation {
  public static let environmentVariable = "SIS_SYNC_DIRECTORY"

  public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
    -> String
  {
    if let option, !option.isEmpty { return option }
    if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
    let dataHome =
      environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.local/share")
    return dataHome + "/sis-sync/directory.sqlite"
  }
}
