import ArgumentParser
import SyncEngine

struct ExplainCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Explain a finding code and how to fix it at the source.",
    discussion: """
      Without a code, prints a short glossary (directory, custom_id, building ID, managed \
      account…) and lists every code with its one-line title; 'explain glossary' prints \
      the glossary alone.
      """)

  @Argument(
    help: ArgumentHelp(
      "A finding code such as E030 (or its name, duplicate-custom-id), or glossary.", valueName: "code"))
  var code: String?

  func run() throws {
    guard let code else {
      printGlossary()
      print("\nFinding codes (sis-sync explain CODE for one):")
      for entry in FindingCode.allCases {
        print("\(entry.id)  \(entry.severity.rawValue.padding(7))  \(entry.title)")
      }
      return
    }
    if code.lowercased() == "glossary" { return printGlossary() }
    guard let entry = FindingCode.named(code) else {
      printError("sis-sync: no finding code '\(code)'; run 'sis-sync explain' for the list")
      throw SisSyncExit.usage
    }
    print("\(entry.id) \(entry.name) (\(entry.severity.rawValue)\(entry.isFileLevel ? ", whole file" : ""))")
    print(entry.title)
    print("")
    print(wrap(entry.explanation))
    print("")
    print("How to fix it at the source:")
    print(wrap(entry.fix, indent: "  "))
  }
}

/// The glossary, each term followed by its meaning indented.
private func printGlossary() {
  print("Words sis-sync uses:")
  for (term, meaning) in Glossary.entries {
    print("  \(term)")
    print(wrap(meaning, indent: "      "))
  }
}

extension String {
  func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}

/// Wraps text at 78 columns for the terminal.
func wrap(_ text: String, indent: String = "") -> String {
  var lines: [String] = []
  var current = indent
  for word in text.split(separator: " ") {
    if current.count + word.count + 1 > 78, current.count > indent.count {
      lines.append(current)
      current = indent
    }
    current += (current.count > indent.count ? " " : "") + word
  }
  lines.append(current)
  return lines.joined(separator: "\n")
}
