// Starts libFuzzer from a harness's own `main`.
//
// Why a harness needs its own `main`: SwiftPM compiles an executable
// module's entry point under the name `<module>_main` (so that tests can
// link the module) and links the binary with `--defsym main=<module>_main`.
// Built with `-parse-as-library` (libFuzzer brings `main`), a harness of
// `@_cdecl` functions alone has no `<module>_main` and the link fails. So
// each harness has a small `@main` (which gets that name); under `-D FUZZING`
// it calls `runLibFuzzer`, which starts libFuzzer's driver, and `--defsym`
// keeps libFuzzer's own `main` out. In a normal build (no `FUZZING`) the same
// `@main` only prints how to fuzz (SwiftPM sees `@main` in main.swift and
// compiles it as a library file either way).
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `LLVMFuzzerTestOneInput`'s type.
public typealias FuzzTarget = @convention(c) (UnsafeRawPointer, Int) -> CInt

private typealias Driver =
  @convention(c) (
    UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>, FuzzTarget
  ) -> CInt

/// Runs libFuzzer with the process's arguments (`-max_total_time=60`, a
/// corpus folder, ...) and exits with its status. `LLVMFuzzerRunDriver` is
/// found with `dlsym`, so the binary is linked with
/// `-Xlinker --export-dynamic-symbol=LLVMFuzzerRunDriver` (Fuzz/run.sh).
public func runLibFuzzer(_ target: FuzzTarget) -> Never {
  guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "LLVMFuzzerRunDriver") else {
    fatalError("LLVMFuzzerRunDriver not found: build with Fuzz/run.sh (-sanitize=fuzzer)")
  }
  let driver = unsafeBitCast(symbol, to: Driver.self)
  var argc = CommandLine.argc
  var argv = CommandLine.unsafeArgv
  exit(driver(&argc, &argv, target))
}
