import ExportReading
// libFuzzer harness for the mapping file language (see Fuzz/README.md).
//
// Built by Fuzz/run.sh with `-sanitize=fuzzer -parse-as-library -D FUZZING`; a
// normal build makes a binary that only says so (Fuzz/driver/LibFuzzer.swift
// says why the harness has a `@main`).
import FuzzDriver
import SyncPlanning

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapping(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
  // The loader refuses bytes that are not UTF-8; the parser is fuzzed with
  // any text, so invalid bytes become U+FFFD.
  let bytes = UnsafeRawBufferPointer(start: data, count: size)
  let text = String(decoding: bytes, as: UTF8.self)
  let parsed = Result { () throws(MappingFileError) in try MappingFileParser.parse(text, file: "fuzz.map") }
  // Line ends do not matter: the same text with CRLF reads the same (or
  // fails on the same line and column).
  if !bytes.contains(0x0D) {
    let crlf = String(decoding: bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }, as: UTF8.self)
    let again = Result { () throws(MappingFileError) in try MappingFileParser.parse(crlf, file: "fuzz.map") }
    switch (parsed, again) {
    case (.success(let left), .success(let right)) where sameRules(left, right): break
    case (.failure(let left), .failure(let right)) where left == right: break
    default: fatalError("CRLF line ends change the outcome: \(parsed) / \(again)\n--- input\n\(text)")
    }
  }
  guard case .success(let mapping) = parsed else { return 0 }
  // What the writer makes of a mapping must parse back to the same mapping
  // (review saves mappings this way; `plan` reads them).
  let written = MappingFileWriter.text(mapping)
  let reread: ColumnMapping
  do { reread = try MappingFileParser.parse(written, file: "fuzz.map") } catch {
    fatalError("written mapping does not parse back: \(error)\n--- input\n\(text)\n--- written\n\(written)")
  }
  if !sameRules(reread, mapping) {
    fatalError("written mapping parses back to another mapping\n--- input\n\(text)\n--- written\n\(written)")
  }
  return 0
}

/// Equal but for where each rule and companion was written (line numbers
/// change when the text is rewritten).
private func sameRules(_ left: ColumnMapping, _ right: ColumnMapping) -> Bool {
  func withoutLines(_ mapping: ColumnMapping) -> ColumnMapping {
    var mapping = mapping
    for column in mapping.rules.keys { mapping.rules[column]!.definedOnLine = nil }
    for index in mapping.companions.indices { mapping.companions[index].definedOnLine = nil }
    return mapping
  }
  return withoutLines(left) == withoutLines(right)
}

// SwiftPM builds a main.swift that declares `@main` as a library file
// (-parse-as-library), so the entry point is a type in both builds.
@main enum FuzzMain {
  static func main() {
    #if FUZZING
      runLibFuzzer(fuzzMapping)
    #else
      print("fuzz-mapping: a normal build does not fuzz; run Fuzz/run.sh")
    #endif
  }
}
