import SyncEngine

/// A value a prompt offers to pick (`A`, `b`, `o`): what is typed when
/// chosen, and how it is listed.
public struct PromptChoice: Sendable, Equatable {
  public var value: String
  public var label: String

  public init(value: String, label: String) {
    self.value = value
    self.label = label
  }
}

/// What the pickers offer, worked out when their key is pressed.
struct PromptChoices {
  let plan: LivePlan
  let presenter: RowPresenter

  /// How many accounts `A` offers.
  static let accountLimit = 8

  /// Unmanaged accounts (no custom_id), the likeliest to be the row's
  /// person first: by email, then by name.
  func unmanagedAccounts(like row: Int) -> [PromptChoice] {
    let directory = plan.directory
    let email = plan.effectiveValue(row: row, column: .email).lowercased()
    let first = plan.effectiveValue(row: row, column: .firstName).lowercased()
    let last = plan.effectiveValue(row: row, column: .lastName).lowercased()
    var scored: [(score: Int, account: Int)] = []
    for account in 0..<directory.accountCount where !directory.isManaged(account: account) {
      let score = Self.likeness(
        email: email, first: first, last: last,
        accountEmail: directory.accounts.value(row: account, column: .email).lowercased(),
        accountFirst: directory.accounts.value(row: account, column: .firstName).lowercased(),
        accountLast: directory.accounts.value(row: account, column: .lastName).lowercased())
      scored.append((score, account))
    }
    scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.account < $1.account }
    return scored.prefix(Self.accountLimit).map { entry in
      let account = entry.account
      let item = ReviewItem.missingAccount(account)
      let label =
        "#\(directory.accountIDs[account]) \(presenter.displayName(item))  "
        + directory.accounts.value(row: account, column: .email)
        + "  \(directory.organization(ofAccount: account).name)"
      return PromptChoice(value: String(directory.accountIDs[account]), label: label)
    }
  }

  /// 0…200: the same email counts most, then the same names.
  static func likeness(
    email: String, first: String, last: String, accountEmail: String, accountFirst: String, accountLast: String
  ) -> Int {
    var score = 0
    if !email.isEmpty && email == accountEmail {
      score += 100
    } else if let local = email.split(separator: "@").first, !local.isEmpty,
      accountEmail.split(separator: "@").first == local
    {
      score += 60
    }
    if !last.isEmpty && last == accountLast { score += 50 }
    if !first.isEmpty && first == accountFirst { score += 30 }
    if !last.isEmpty && score == 0 && accountEmail.contains(last) { score += 10 }
    return score
  }

  /// Organizations with an external ID: `S1 Lincoln`.
  func knownBuildings() -> [PromptChoice] {
    plan.directory.organizations.compactMap { organization in
      organization.externalID.map { PromptChoice(value: $0, label: "\($0)  \(organization.name)") }
    }.sorted { $0.value < $1.value }
  }

  /// Organizations without an external ID, by name: `#4 Oak Hill`.
  func organizationsWithoutExternalID() -> [PromptChoice] {
    plan.directory.organizations.filter { $0.externalID == nil }.sorted { $0.name < $1.name }.map {
      PromptChoice(value: String($0.id), label: "#\($0.id) \($0.name)")
    }
  }
}

extension Prompt {
  /// The offered choices that what is typed narrows to (all when nothing
  /// is typed; a typed value matches a label by its words).
  public var shownChoices: [PromptChoice] {
    let typed = text.trimmingCharacters(in: .whitespaces).lowercased()
    guard !typed.isEmpty else { return choices }
    return choices.filter { $0.label.lowercased().contains(typed) }
  }

  /// The value Enter applies: the chosen offer's, else what is typed.
  var submittedText: String {
    let shown = shownChoices
    if let chosen, chosen < shown.count { return shown[chosen].value }
    return text
  }
}
