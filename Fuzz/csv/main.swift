import ExportReading
// libFuzzer harness for the CSV reader and the validator (see Fuzz/README.md).
//
// Built by Fuzz/run.sh with `-sanitize=fuzzer -parse-as-library -D FUZZING`; a
// normal build makes a binary that only says so (Fuzz/driver/LibFuzzer.swift
// says why the harness has a `@main`).
import Foundation
import FuzzDriver
import SyncModel

/// What every input is checked with, made once.
private enum Setup {
  static let oneRoster = MappingPreset.named("oneroster-1.1")!.mapping
  /// Building IDs known to the directory: turns on the directory checks
  /// (unknown building, nearest-ID suggestions).
  static let directory = KnownOrganizations(organizationExternalIDs: ["S1", "S2", "BLDG-42", "district-1", "org-7"])
  static let smallLimits = CSVLimits(maxFieldBytes: 40, maxFields: 12, maxRecordBytes: 300, maxRows: 200)
  /// Where the two-halves path reads its input (it needs a regular file).
  static let path: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return folder + "/sis-sync-fuzz-csv-\(getpid()).csv"
  }()
}

/// Everything a result says, as lines: two results that read the same must
/// give the same lines.
private func summary(_ result: ValidationResult) -> [String] {
  var lines = ["rows \(result.rowCount) errors \(result.rowsWithErrors) skipped \(result.rowsSkippedByMapping)"]
  lines.append("headers " + result.headers.joined(separator: "|"))
  for finding in result.findings {
    lines.append(
      "\(finding.line ?? 0) \(finding.code.id) \(finding.field ?? 0) \(finding.column ?? "-") \(finding.value ?? "-") "
        + "\(finding.message) \(finding.suggestedValue ?? "-") "
        + finding.relatedLines.map(String.init).joined(separator: ","))
  }
  if let table = result.table {
    for row in 0..<table.rowCount {
      let values = ExportColumn.allCases.map { table.value(row: row, column: $0) }
      lines.append("\(table.line(ofRow: row)) \(table.hasError(row: row)) " + values.joined(separator: "|"))
    }
  }
  return lines
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
  let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
  // Reading never throws for memory input: every problem is a finding.
  // 1. No mapping (the ten standard headers), rows kept.
  let whole: ValidationResult
  do {
    whole = try ExportValidator.validate(
      source: MemoryByteSource(bytes), name: Setup.path, options: ValidationOptions(keepsRows: true))
  } catch {
    fatalError("validate (identity) threw for memory input: \(error)")
  }
  // 2. A preset with skip, list and when rules, directory checks on.
  do {
    _ = try ExportValidator.validate(
      source: MemoryByteSource(bytes), name: "fuzz.csv",
      options: ValidationOptions(mapping: Setup.oneRoster, directory: Setup.directory, keepsRows: true))
  } catch {
    fatalError("validate (oneroster-1.1) threw for memory input: \(error)")
  }
  // 3. Small limits: fields, records and rows cut or refused.
  do {
    _ = try ExportValidator.validate(
      source: MemoryByteSource(bytes), name: "fuzz.csv", options: ValidationOptions(limits: Setup.smallLimits))
  } catch {
    fatalError("validate (small limits) threw for memory input: \(error)")
  }
  // 4. The same bytes as a file read in two halves on two threads: the
  //    result must be that of one pass.
  guard FileManager.default.createFile(atPath: Setup.path, contents: Data(bytes)) else {
    fatalError("cannot write \(Setup.path)")
  }
  let split: ValidationResult
  do {
    split = try ExportValidator.validate(
      file: Setup.path, options: ValidationOptions(keepsRows: true, parallelThreshold: 64))
  } catch {
    fatalError("validate (file, two halves) threw: \(error)")
  }
  unlink(Setup.path)  // (each process has its own: none may be left behind)
  let (one, two) = (summary(whole), summary(split))
  if one != two {
    let first = Array(zip(one, two)).firstIndex { $0 != $1 } ?? min(one.count, two.count)
    fatalError(
      "two halves differ from one pass at summary line \(first):\n one pass: "
        + (first < one.count ? one[first] : "(none)") + "\n two halves: " + (first < two.count ? two[first] : "(none)"))
  }
  return 0
}

// SwiftPM builds a main.swift that declares `@main` as a library file
// (-parse-as-library), so the entry point is a type in both builds.
@main enum FuzzMain {
  static func main() {
    #if FUZZING
      runLibFuzzer(fuzzCSV)
    #else
      print("fuzz-csv: a normal build does not fuzz; run Fuzz/run.sh")
    #endif
  }
}
