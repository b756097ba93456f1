/// A value as one CSV field (RFC 4180): quoted when it holds a comma, a
/// quote or a line break, with quotes doubled.
public func csvField(_ value: String) -> String {
  guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
  var quoted = "\""
  for character in value {
    if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
  }
  return quoted + "\""
}
