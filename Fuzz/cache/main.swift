// libFuzzer harness for the snapshot cache loader (see Fuzz/README.md): the
// cache file beside the directory is untrusted input (anyone who can write
// the folder can change it; disks flip bits).
//
// Built by Fuzz/run.sh with `-sanitize=fuzzer -parse-as-library -D FUZZING`; a
// normal build makes a binary that only says so.
import FuzzDriver
@_spi(Fuzzing) import SyncDirectory

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCache(_ data: UnsafeRawPointer, _ size: Int) -> CInt {
  let bytes = Array(UnsafeRawBufferPointer(start: data, count: size))
  // With the checksum verified (as sis-sync loads it), and without: random
  // bytes rarely match a checksum, and the bounds checks must hold alone.
  for verifiesChecksum in [true, false] {
    guard let snapshot = DirectorySnapshot.fromCacheBytes(bytes, verifiesChecksum: verifiesChecksum) else { continue }
    // Whatever was accepted must be safe to use as planning uses it.
    for account in 0..<snapshot.accountCount {
      let values = snapshot.values(ofAccount: account)
      if let found = snapshot.account(customID: values[.customID]),
        snapshot.values(ofAccount: found)[.customID] != values[.customID]
      {
        fatalError("the custom_id index found an account with another custom_id")
      }
      _ = snapshot.account(email: values[.email])
      _ = snapshot.organizations[Int(snapshot.accountOrganizations[account])]
    }
  }
  return 0
}

// SwiftPM builds a main.swift that declares `@main` as a library file
// (-parse-as-library), so the entry point is a type in both builds.
@main enum FuzzMain {
  static func main() {
    #if FUZZING
      runLibFuzzer(fuzzCache)
    #else
      print("fuzz-cache: a normal build does not fuzz; run Fuzz/run.sh")
    #endif
  }
}
