import ExportReading
// libFuzzer harness for the session and plan file loaders (see
// Fuzz/README.md). One input is tried as both.
//
// Built by Fuzz/run.sh with `-sanitize=fuzzer -parse-as-library -D FUZZING`; a
// normal build makes a binary that only says so (Fuzz/driver/LibFuzzer.swift
// says why the harness has a `@main`).
import Foundation
import FuzzDriver
import SyncPlanning

private enum Setup {
  /// Where a parsed plan is saved to be read back.
  static let path: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return folder + "/sis-sync-fuzz-files-\(getpid()).plan"
  }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFiles(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
  let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
  // A session: refused with an error or read; what is read encodes and
  // decodes to the same session (save writes it this way).
  if let session = try? ReviewSession.decode(bytes, path: "fuzz.session") {
    let encoded: Data
    do { encoded = try JSONEncoder().encode(session) } catch { fatalError("session does not encode: \(error)") }
    guard let again = try? ReviewSession.decode(Array(encoded), path: "fuzz.session"), again == session else {
      fatalError("session does not decode back to itself: \(String(decoding: encoded, as: UTF8.self))")
    }
  }
  // A plan: refused with an error or read; what is read saves and loads
  // back with the same changes. Random bytes rarely carry a matching
  // digest line, so the input is also tried sealed (its last line replaced
  // by the digest of the rest), as a hand-edited plan would be.
  var content = bytes
  if let end = content.dropLast().lastIndex(of: UInt8(ascii: "\n")) { content.removeSubrange((end + 1)...) }
  for candidate in [bytes, PlanFile.sealed(content)] { checkPlan(candidate) }
  return 0
}

private func checkPlan(_ bytes: [UInt8]) {
  if let plan = try? PlanFile.parse(bytes, path: "fuzz.plan") {
    do { try PlanFile.save(plan, to: Setup.path) } catch { fatalError("plan does not save: \(error)") }
    let again: Plan
    do { again = try PlanFile.load(path: Setup.path) } catch { fatalError("saved plan does not load: \(error)") }
    unlink(Setup.path)  // (each process has its own: none may be left behind)
    guard again.changes == plan.changes, again.decisions == plan.decisions,
      again.organizationChanges == plan.organizationChanges, again.options == plan.options
    else { fatalError("saved plan loads back different") }
  }
}

// SwiftPM builds a main.swift that declares `@main` as a library file
// (-parse-as-library), so the entry point is a type in both builds.
@main enum FuzzMain {
  static func main() {
    #if FUZZING
      runLibFuzzer(fuzzFiles)
    #else
      print("fuzz-files: a normal build does not fuzz; run Fuzz/run.sh")
    #endif
  }
}
