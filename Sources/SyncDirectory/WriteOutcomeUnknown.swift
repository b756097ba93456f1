import Foundation

/// A write whose outcome the store cannot tell: the connection to the
/// directory's server was lost during COMMIT and the server could not be
/// reached again to find out whether the commit happened. Unlike every
/// other failure, this one does not mean "nothing was changed"; the
/// commands exit with their own code for it (14).
public struct WriteOutcomeUnknown: Error, CustomStringConvertible {
  /// The directory, as messages name it (without a password).
  public let path: String
  /// Why the server could not be asked.
  public let reason: String

  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  public var description: String {
    "directory \(path): the connection to the server was lost during COMMIT and the server could not be reached "
      + "again (\(reason)): whether the change was written is unknown. Once the server is back, "
      + "'sis-sync history' shows whether the run was recorded (its newest run)"
  }
}
