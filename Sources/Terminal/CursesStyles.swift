import CNcurses
import TextScreen

/// How each `Style` is shown: tones become colour pairs where the terminal
/// has colours (and NO_COLOR is not set), attributes where it does not.
struct CursesStyles {
  let usesColor: Bool
  /// Whether muted text uses bright black (16+ colours) rather than dim.
  private let hasBrightBlack: Bool

  /// Call after `newterm`. With `colors`, starts colour and defines one pair
  /// per tone (the pair number is the tone's raw value; plain is pair 0).
  init(colors: Bool) {
    guard colors, has_colors(), start_color() == OK else {
      usesColor = false
      hasBrightBlack = false
      return
    }
    // -1 keeps the user's own background (and foreground for plain text).
    let background: Int16 = use_default_colors() == OK ? -1 : Int16(COLOR_BLACK)
    hasBrightBlack = cncurses_colors() >= 16
    usesColor = true
    for tone in Style.Tone.allCases where tone != .plain {
      guard let foreground = Self.foreground(tone, hasBrightBlack: hasBrightBlack) else { continue }
      init_pair(Int16(tone.rawValue), foreground, background)
    }
  }

  private static func foreground(_ tone: Style.Tone, hasBrightBlack: Bool) -> Int16? {
    let color: Int32? =
      switch tone {
      case .plain: nil
      case .accent: COLOR_CYAN
      case .error: COLOR_RED
      case .warning: COLOR_YELLOW
      case .addition: COLOR_GREEN
      case .change: COLOR_BLUE
      case .removal: COLOR_MAGENTA
      case .muted: hasBrightBlack ? COLOR_BLACK + 8 : nil
      }
    return color.map { Int16($0) }
  }

  /// The curses attributes and colour pair for `style`.
  func curses(_ style: Style) -> (attributes: attr_t, pair: Int16) {
    var attributes = cncurses_a_normal()
    if style.attributes.contains(.bold) { attributes |= cncurses_a_bold() }
    if style.attributes.contains(.reverse) { attributes |= cncurses_a_reverse() }
    if style.attributes.contains(.underline) { attributes |= cncurses_a_underline() }
    if usesColor {
      if style.tone == .muted && !hasBrightBlack { return (attributes | cncurses_a_dim(), 0) }
      return (attributes, Int16(style.tone.rawValue))
    }
    switch style.tone {
    case .error, .accent: attributes |= cncurses_a_bold()
    case .warning: attributes |= cncurses_a_underline()
    case .muted: attributes |= cncurses_a_dim()
    case .plain, .addition, .change, .removal: break
    }
    return (attributes, 0)
  }

  /// Sets the style of the text written next.
  func apply(_ style: Style) {
    let (attributes, pair) = curses(style)
    cncurses_set_style(attributes, pair)
  }
}
