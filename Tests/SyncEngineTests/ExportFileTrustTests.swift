import Foundation
import Testing

@testable import ExportReading
@testable import SyncApplying
@testable import SyncDirectory
@testable import SyncModel
@testable import SyncPlanning
@testable import SyncReporting

#if canImport(Glibc)
  import Glibc
#endif

/// An export is a regular file read as one version: the engine refuses
/// non-regular files before reading and notices a file changed meanwhile.
@Suite struct ExportFileTrustTests {
  @Test func aSameSizeRewriteWithItsModificationTimePutBackIsNoticed() throws {
    let fixture = try SyncFixture(accounts: [])
    let path = try fixture.export(["Ana,,Lopez,ana@x.org,S1,S1,Student,,9,Active"])
    let file = try RegularFile(path: path)
    try file.checkUnchanged()
    var before = stat()
    #expect(stat(path, &before) == 0)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seek(toOffset: UInt64(exportHeaderLine.utf8.count + 1))
    try handle.write(contentsOf: Data("Eva".utf8))
    try handle.close()
    var times = [before.st_atim, before.st_mtim]
    #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    #expect(throws: FileAccessError.self) { try file.checkUnchanged() }
    do { try file.checkUnchanged() } catch {
      #expect(error.reason.contains("changed while it was being read"))
    }
  }

  @Test func aFileReplacedByRenameIsNoticed() throws {
    let fixture = try SyncFixture(accounts: [])
    let path = try fixture.export(["Ana,,Lopez,ana@x.org,S1,S1,Student,,9,Active"])
    let file = try RegularFile(path: path)
    let other = try fixture.export(["Eva,,Lopez,ana@x.org,S1,S1,Student,,9,Active"], name: "new.csv")
    #expect(rename(other, path) == 0)
    #expect(throws: FileAccessError.self) { try file.checkUnchanged() }
  }

  @Test func theReviewLoaderAndTheHashRefuseANamedPipeAtOnce() throws {
    let fixture = try SyncFixture(accounts: [])
    let fifo = fixture.folder.appendingPathComponent("export.csv").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let started = Date()
    do {
      _ = try ReviewLoader.load(ReviewLoader.Input(exportPath: fifo), directory: fixture.directory)
      Issue.record("a FIFO was loaded")
    } catch let error as FileAccessError {
      #expect(error.reason.contains("is a named pipe (FIFO), not a regular file"))
    }
    #expect(throws: FileAccessError.self) { _ = try sha256Hex(ofFile: fifo) }
    #expect(throws: FileAccessError.self) { _ = try ExportValidator.validate(file: "/dev/zero") }
    #expect(throws: FileAccessError.self) { _ = try ExportValidator.validate(file: fixture.folder.path) }
    #expect(Date().timeIntervalSince(started) < 5)
  }
}
