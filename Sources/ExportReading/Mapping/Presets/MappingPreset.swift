import SyncModel

/// A built-in mapping for a well-known export format, written in the
/// mapping file language (`sis-sync mapping show NAME` prints it, to be
/// saved and edited). Usable as `--mapping NAME` wherever a mapping file is.
public struct MappingPreset: Sendable {
  public let name: String
  public let title: String
  /// What the preset assumes about the export (for the man page and `mapping list`).
  public let assumptions: String
  public let text: String

  /// Every preset, in the order recognition prefers them on a tie.
  public static let all: [MappingPreset] = [
    oneRoster11, oneRoster12, sdsV1Students, sdsV1Teachers, sdsV2, sdsV21, powerSchoolStudents, powerSchoolStaff,
    cleverStudents, cleverTeachers, infiniteCampus,
  ]

  public static func named(_ name: String) -> MappingPreset? {
    all.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
  }

  /// The preset as a mapping (its text always parses; a test checks).
  public var mapping: ColumnMapping {
    Self.parsed[name] ?? Self.parse(self)
  }

  /// Each preset parsed once (recognition compares every preset's headers).
  private static let parsed = Dictionary(uniqueKeysWithValues: all.map { ($0.name, parse($0)) })

  private static func parse(_ preset: MappingPreset) -> ColumnMapping {
    try! MappingFileParser.parse(preset.text, file: "preset \(preset.name)")
  }
}
