import ArgumentParser
import Foundation
import PostgreSQLDirectory
import SyncEngine

struct DirectoryCopyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "copy",
    abstract: "Copy a directory, identity and history and all, to a new file or server, checked table by table.",
    discussion: """
      FROM and TO are each an SQLite file or a postgresql://USER@HOST:PORT/DATABASE?directory=NAME \
      URL: file to server, server to file, file to file or server to server. The copy keeps \
      everything the directory holds: its identity, organizations, accounts (their ids), \
      generated-email marks, runs and their changes, and every state it has been in, so a \
      plan made before the copy is recognised by the copy (and refused as stale when either \
      has moved on since). FROM is read in one consistent read, while others keep using it; \
      TO is written in one transaction and must not exist or be empty: a directory is never \
      copied over. Before TO is committed, every table as read from FROM is compared with \
      the same table read back from TO: its row count and the SHA-256 of every row in key \
      order. One line per table says so; a mismatch writes nothing.

      Exit codes: 0 copied and checked; 4 FROM cannot be read, TO exists with content or \
      cannot be written, or the check found a mismatch (nothing written); 13 another \
      sis-sync is writing to TO.
      """)

  @Argument(help: ArgumentHelp("The directory to copy (a file or a postgresql:// URL).", valueName: "from"))
  var from: String
  @Argument(
    help: ArgumentHelp("Where to copy it (a file or a postgresql:// URL; new or empty).", valueName: "to"))
  var to: String

  func run() throws {
    let source = Self.options(from)
    let target = Self.options(to)
    guard source.path != target.path else {
      printError("sis-sync: FROM and TO are the same directory")
      throw SisSyncExit.usage
    }
    // The files of a new SQLite target this command makes: removed again
    // if the copy fails (never a file that was there before).
    let made =
      PostgreSQLLocation.isPostgreSQL(target.path) || Self.exists(target.path)
      ? [] : ["", "-wal", "-shm", ".lock"].filter { !Self.exists(target.path + $0) }
    let sourceStore = try source.open(.read)
    let targetStore = try target.open(.create)
    let copied: DirectoryCopy.Copied
    do {
      copied = try DirectoryCopy.copy(from: sourceStore, to: targetStore)
      try (targetStore as? SQLiteDirectory)?.closeDatabase()
    } catch {
      // A file this command created holds nothing worth keeping.
      if !made.isEmpty {
        try? (targetStore as? SQLiteDirectory)?.closeDatabase()
        for suffix in made { unlink(target.path + suffix) }
      }
      printError("sis-sync: \(error)")
      throw error is DirectoryLocked ? SisSyncExit.locked : SisSyncExit.directoryError
    }
    try emit(Self.report(copied, from: source.shownPath, to: target.shownPath), to: nil)
  }

  /// Anything at `path`, a dangling symbolic link included.
  private static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  private static func options(_ directory: String) -> DirectoryOptions {
    var options = DirectoryOptions()
    options.directory = directory
    return options
  }

  /// One line per table: rows and digest, the same read back from both.
  static func report(_ copied: DirectoryCopy.Copied, from: String, to: String) -> String {
    let width = copied.tables.map(\.table.count).max() ?? 0
    var said = "Copied \(from) to \(to): "
    said += "directory \(copied.state.directoryID), generation \(copied.state.generation).\n"
    said +=
      "Checked table by table (rows, SHA-256 of every row in key order; as read from FROM, as read back "
      + "from TO):\n"
    for table in copied.tables {
      let name = table.table.padding(toLength: width, withPad: " ", startingAt: 0)
      let rows = String(table.rows).leftPadded(to: 10)
      said += "  \(name) \(rows) rows  sha256 \(table.digest.prefix(16))…  same in both\n"
    }
    return said
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
