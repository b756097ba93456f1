/// How a cell looks, said by meaning rather than by colour: the terminal
/// decides how to show each tone (a colour where it has them, an attribute
/// where it does not or `NO_COLOR` is set).
public struct Style: Sendable, Hashable {
  public enum Tone: UInt8, Sendable, Hashable, CaseIterable {
    case plain
    /// Titles, the focused pane's frame, key names in hints.
    case accent
    case error
    case warning
    /// Creates and other additions.
    case addition
    /// Updates, reactivations, ID fixes: changes to what exists.
    case change
    /// Disables: something is taken away.
    case removal
    /// Secondary text: unchanged rows, excluded rows, hints.
    case muted
  }

  public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = Attributes(rawValue: 1)
    /// The selection: shown the same with and without colours.
    public static let reverse = Attributes(rawValue: 2)
    public static let underline = Attributes(rawValue: 4)
  }

  public var tone: Tone
  public var attributes: Attributes

  public init(_ tone: Tone = .plain, _ attributes: Attributes = []) {
    self.tone = tone
    self.attributes = attributes
  }

  public static let plain = Style()
  public static let accent = Style(.accent, .bold)
  public static let muted = Style(.muted)
  public static let selected = Style(.plain, .reverse)

  /// The same tone, with more attributes.
  public func with(_ attributes: Attributes) -> Style { Style(tone, self.attributes.union(attributes)) }
}
