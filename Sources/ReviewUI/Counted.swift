/// "1 row", "2 rows": a count with its noun, as the screen writes counts.
enum Counted {
  static func of(_ count: Int, _ noun: String, plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
  }
}
