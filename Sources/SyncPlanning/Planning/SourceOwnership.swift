import ExportReading
import SyncDirectory
import SyncModel

/// What each source owns, as the directory's setting `sources` declares it:
/// `powerschool=Student,Teacher;hr=Staff,Administrator,id:T1001` — user
/// types, and accounts one by one by custom_id (`id:`). A user type or an
/// account is owned by one source at most.
public struct SourceDeclarations: Sendable, Equatable {
  public struct Source: Sendable, Equatable {
    public var name: String
    /// In the vocabulary's order.
    public var userTypes: [String]
    /// Sorted.
    public var customIDs: [String]
  }

  /// Sorted by name; empty when no source is declared.
  public private(set) var sources: [Source] = []

  public init() {}

  public var isEmpty: Bool { sources.isEmpty }
  public var names: [String] { sources.map(\.name) }

  /// The declarations in `text`, or nil when it is not of the syntax
  /// (`none` declares no source).
  public init?(parsing text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.isEmpty || trimmed.lowercased() == "none" { return }
    var typeOwners: [String: String] = [:]
    var idOwners: [String: String] = [:]
    for part in trimmed.split(separator: ";", omittingEmptySubsequences: true) {
      let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard pair.count == 2 else { return nil }
      let name = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
      guard Self.isName(name), !sources.contains(where: { $0.name == name }) else { return nil }
      var source = Source(name: name, userTypes: [], customIDs: [])
      for item in pair[1].split(separator: ",") {
        let owned = item.trimmingCharacters(in: .whitespaces)
        if owned.lowercased().hasPrefix("id:") {
          let customID = String(owned.dropFirst(3)).trimmingCharacters(in: .whitespaces)
          guard !customID.isEmpty, idOwners.updateValue(name, forKey: customID) == nil else { return nil }
          source.customIDs.append(customID)
        } else {
          guard let type = Vocabulary.userTypes.first(where: { $0.lowercased() == owned.lowercased() }),
            typeOwners.updateValue(name, forKey: type) == nil
          else { return nil }
          source.userTypes.append(type)
        }
      }
      source.userTypes.sort { Vocabulary.userTypes.firstIndex(of: $0)! < Vocabulary.userTypes.firstIndex(of: $1)! }
      source.customIDs.sort()
      sources.append(source)
    }
    sources.sort { $0.name < $1.name }
  }

  /// The declarations as the setting stores them (canonical), `none` for none.
  public var text: String {
    guard !sources.isEmpty else { return "none" }
    return sources.map { source in
      source.name + "=" + (source.userTypes + source.customIDs.map { "id:" + $0 }).joined(separator: ",")
    }.joined(separator: ";")
  }

  /// A source's name: lower-case letters, digits, `-` and `_`.
  public static func isName(_ name: String) -> Bool {
    !name.isEmpty && name.count <= 40
      && name.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
      }
  }

  /// The source declared for this custom_id, one by one.
  func owner(ofCustomID customID: String) -> String? {
    sources.first { $0.customIDs.contains(customID) }?.name
  }

  /// The source that owns this user type.
  func owner(ofUserType type: String) -> String? {
    sources.first { $0.userTypes.contains(type) }?.name
  }
}

/// The sources a run plans under: what is declared, the source recorded
/// for each account, and the run's own source (`--source`).
public struct PlanSources: Sendable, Equatable {
  public var declared: SourceDeclarations
  /// The source recorded as managing each account, by account id.
  public var managers: [Int64: String]
  /// The run's source; nil when none was given (then nothing is judged by source).
  public var source: String?

  public init(declared: SourceDeclarations = SourceDeclarations(), managers: [Int64: String] = [:], source: String?) {
    self.declared = declared
    self.managers = managers
    self.source = source
  }

  /// No source: every account is the run's, as before sources.
  public static let none = PlanSources(source: nil)

  public var isActive: Bool { source != nil }

  /// The source that owns an account: declared for its custom_id, else
  /// recorded as its manager, else declared for its user type; nil for none.
  /// A manager recorded by a source the setting no longer declares counts
  /// for nothing (its accounts are not orphaned).
  public func owner(accountID: Int64, customID: String, userType: String) -> String? {
    if !customID.isEmpty, let declared = declared.owner(ofCustomID: customID) { return declared }
    if let manager = managers[accountID], declared.names.contains(manager) { return manager }
    return declared.owner(ofUserType: userType)
  }

  /// The source that owns the account at `index` of the snapshot.
  func owner(ofAccount index: Int, in directory: DirectorySnapshot) -> String? {
    owner(
      accountID: directory.accountIDs[index], customID: directory.accounts.value(row: index, column: .customID),
      userType: directory.accounts.value(row: index, column: .userType))
  }

  /// Another source that owns the account at `index` of the snapshot (nil
  /// when it is the run's, no one's, or no source is given).
  func otherOwner(ofAccount index: Int, in directory: DirectorySnapshot) -> String? {
    guard let source else { return nil }
    let owner = owner(ofAccount: index, in: directory)
    return owner == source ? nil : owner
  }

  /// Whether disable-missing and ID changes may consider the account at
  /// `index`: with a source, only the accounts that source owns.
  func considers(account index: Int, in directory: DirectorySnapshot) -> Bool {
    guard let source else { return true }
    return owner(ofAccount: index, in: directory) == source
  }

  /// Another source that owns what a row naming no account would create:
  /// its custom_id declared one by one, else its user type.
  func otherOwner(ofNewCustomID customID: String, userType: String) -> (owner: String, byCustomID: Bool)? {
    guard let source else { return nil }
    if let owner = declared.owner(ofCustomID: customID) { return owner == source ? nil : (owner, true) }
    if let owner = declared.owner(ofUserType: userType), owner != source { return (owner, false) }
    return nil
  }

  /// E065: the row names an account another source manages.
  func accountOfOtherSource(line: Int, customID: String, owner: String) -> Finding {
    Finding(
      code: .otherSourceAccount, line: line, column: ExportColumn.customID.header, value: customID,
      message: "the account with custom_id \(customID) is managed by source \(owner), not \(source ?? "")",
      suggestion: "the row is not applied and the account is not changed; leave the person to \(owner), or change "
        + "what each source owns with 'sis-sync settings set sources …'")
  }

  /// E066: a row naming no account would create one another source owns.
  func newAccountOfOtherSource(line: Int, customID: String, userType: String, owner: String, byCustomID: Bool)
    -> Finding
  {
    Finding(
      code: .otherSourceUserType, line: line,
      column: byCustomID ? ExportColumn.customID.header : ExportColumn.userType.header,
      value: byCustomID ? customID : userType,
      message: byCustomID
        ? "custom_id \(customID) is declared as source \(owner)'s: \(source ?? "") does not create it"
        : "user type \(userType) belongs to source \(owner): \(source ?? "") does not create its accounts",
      suggestion: "the row is not applied; let \(owner) create the account, or change what each source owns "
        + "with 'sis-sync settings set sources …'")
  }
}
