import SyncModel

extension MappingPreset {
  /// Infinite Campus districts export OneRoster; the preset is OneRoster 1.1
  /// with IC's habits documented (see the man page).
  static let infiniteCampus = MappingPreset(
    name: "infinite-campus", title: "Infinite Campus OneRoster 1.1 users.csv",
    assumptions: """
      Infinite Campus's OneRoster 1.1 export (its own extracts are not publicly \
      documented): the same rules as oneroster-1.1.
      """,
    text: oneRoster11.text.replacingFirstLine(with: "# Infinite Campus OneRoster 1.1 users.csv (as oneroster-1.1)."))
}

extension String {
  fileprivate func replacingFirstLine(with line: String) -> String {
    guard let newline = firstIndex(of: "\n") else { return line }
    return line + self[newline...]
  }
}
