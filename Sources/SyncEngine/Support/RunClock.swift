import Foundation

/// When and by whom a run, a plan or a session was made.
package enum RunClock {
  package static func now() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date())
  }

  package static var user: String {
    ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"]
      ?? NSUserName()
  }

  package static var host: String { ProcessInfo.processInfo.hostName }
}
