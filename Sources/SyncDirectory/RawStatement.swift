import ExportReading
import GRDB
import GRDBSQLite
import SyncModel

/// A prepared statement driven through SQLite's C API, for the bulk paths
/// (loading a million accounts, writing a hundred thousand): GRDB's records
/// and argument arrays cost several times more per row there. Ordinary code
/// uses GRDB as usual.
struct RawStatement {
  let statement: Statement
  private var handle: OpaquePointer { statement.sqliteStatement }

  init(_ db: Database, _ sql: String) throws {
    statement = try db.makeStatement(sql: sql)
  }

  func bind(_ index: Int32, _ value: String?) {
    guard var value else {
      sqlite3_bind_null(handle, index)
      return
    }
    value.withUTF8 { bind(index, bytes: $0) }
  }

  func bind(_ index: Int32, bytes: UnsafeBufferPointer<UInt8>) {
    withUnsafePointer(to: 0 as CChar) { empty in
      let pointer = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? empty
      _ = sqlite3_bind_text(handle, index, pointer, Int32(bytes.count), sqliteTransient)
    }
  }

  func bind(_ index: Int32, _ value: Int64?) {
    if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
  }

  /// Runs a statement that returns no rows, then makes it ready again.
  func run(_ db: Database) throws {
    let code = sqlite3_step(handle)
    sqlite3_reset(handle)
    guard code == SQLITE_DONE else {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
    }
  }

  /// Steps through the rows; `body` reads columns with the accessors below.
  func forEachRow(_ db: Database, _ body: () throws -> Void) throws {
    defer { sqlite3_reset(handle) }
    while true {
      let code = sqlite3_step(handle)
      if code == SQLITE_DONE { return }
      guard code == SQLITE_ROW else {
        throw DatabaseError(
          resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
      }
      try body()
    }
  }

  func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

  func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

  /// The column's UTF-8 bytes, valid until the next step.
  func bytes(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
    let count = Int(sqlite3_column_bytes(handle, column))
    guard let text = sqlite3_column_text(handle, column) else { return UnsafeBufferPointer(start: nil, count: 0) }
    return UnsafeBufferPointer(start: text, count: count)
  }

  func text(_ column: Int32) -> String? {
    isNull(column) ? nil : String(decoding: bytes(column), as: UTF8.self)
  }
}

/// SQLite copies bound text at once (`SQLITE_TRANSIENT`), so Swift strings
/// need not outlive the call.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
