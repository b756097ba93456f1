/// The ten columns of an export (SPEC §3), in the order the spec lists them.
///
/// Every export must carry all ten headers; the mapping file can feed them
/// from other headers or constants.
public enum ExportColumn: Int, CaseIterable, Sendable, Comparable {
  case firstName
  case middleName
  case lastName
  case email
  case customID
  case schoolExternalID
  case userType
  case position
  case grade
  case status

  /// The header as it appears in an export file.
  public var header: String {
    switch self {
    case .firstName: "first_name"
    case .middleName: "middle_name"
    case .lastName: "last_name"
    case .email: "email"
    case .customID: "custom_id"
    case .schoolExternalID: "school_district_external_id"
    case .userType: "user_type"
    case .position: "position"
    case .grade: "grade"
    case .status: "status"
    }
  }

  /// Whether an empty value is an error. Grade is not: an empty grade means
  /// `Unspecified` for students and is ignored for everyone else.
  public var isRequired: Bool {
    switch self {
    case .middleName, .position, .grade: false
    default: true
    }
  }

  /// Longest accepted value, in Unicode scalars. Generous for real names,
  /// small enough to catch a field that swallowed half a file.
  public var maximumLength: Int {
    switch self {
    case .email: 254
    case .customID, .schoolExternalID: 64
    case .position: 255
    default: 128
    }
  }

  public init?(header: String) {
    guard let column = Self.allCases.first(where: { $0.header == header }) else { return nil }
    self = column
  }

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

  /// How many columns there are (`allCases.count`, which a test checks).
  /// A literal, so that it is a constant in every module: computed, it was
  /// a guarded lazy global, read through a call in every value lookup.
  public static let count = 10

  /// `allCases` made once (the synthesized property builds a new array on
  /// every use, which hot loops notice).
  public static let every: [ExportColumn] = allCases
}

/// In saved sessions and plans a column is its header name (readable, and
/// stable should the order of the cases change).
extension ExportColumn: Codable {
  public init(from decoder: any Decoder) throws {
    let header = try decoder.singleValueContainer().decode(String.self)
    guard let column = ExportColumn(header: header) else {
      throw DecodingError.dataCorrupted(
        DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "unknown column '\(header)'"))
    }
    self = column
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(header)
  }
}
