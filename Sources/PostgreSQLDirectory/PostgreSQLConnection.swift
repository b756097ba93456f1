import CLibPQ
import Foundation

/// One libpq connection, used by one thread at a time: statements with
/// text parameters, their results as text, and COPY in both directions.
/// Every failure is a `PostgreSQLFailure` carrying the server's SQLSTATE.
final class PostgreSQLConnection {
  private let connection: OpaquePointer
  /// libpq, loaded at the first connection.
  let pq: LibPQ

  /// Connects with `conninfo` (a `postgresql://` URI without sis-sync's
  /// own parameters; libpq reads PGPASSWORD, ~/.pgpass, sslmode and the
  /// rest itself). `applicationName` is what other sessions see of us in
  /// pg_stat_activity unless the URI names one.
  init(conninfo: String, applicationName: String) throws(PostgreSQLFailure) {
    let pq = try LibPQ.loaded.get()
    let keywords = ["dbname", "fallback_application_name", "client_encoding"]
    let values = [conninfo, applicationName, "UTF8"]
    let made: OpaquePointer? = withCStrings(keywords) { keywordPointers in
      withCStrings(values) { valuePointers in pq.connectdbParams(keywordPointers, valuePointers, 1) }
    }
    guard let made else { throw PostgreSQLFailure(sqlState: nil, message: "out of memory", connectionLost: true) }
    guard pq.status(made) == CONNECTION_OK else {
      let message = text(pq.errorMessage(made))
      pq.finish(made)
      throw PostgreSQLFailure(sqlState: nil, message: message, connecting: true)
    }
    // libpq would print the server's notices and out-of-turn errors
    // ("FATAL: terminating connection…") raw on stderr; failures reach
    // the user through `PostgreSQLFailure`, in sis-sync's words.
    _ = pq.setNoticeProcessor(made, { _, _ in }, nil)
    connection = made
    self.pq = pq
  }

  deinit { pq.finish(connection) }

  /// Still connected and outside any transaction: fit to be used again.
  var isReusable: Bool { pq.status(connection) == CONNECTION_OK && pq.transactionStatus(connection) == PQTRANS_IDLE }

  /// Runs one statement with `parameters` ($1, $2…; nil is NULL), all
  /// sent as text; returns its rows. Without parameters `sql` may hold
  /// several statements (the migrations); the last one's rows come back.
  @discardableResult
  func execute(_ sql: String, _ parameters: [String?] = []) throws(PostgreSQLFailure) -> PostgreSQLRows {
    if parameters.isEmpty { return try PostgreSQLRows(checking: pq.exec(connection, sql), on: self) }
    let result: OpaquePointer? = withOptionalCStrings(parameters) { pointers in
      pq.execParams(connection, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
    }
    return try PostgreSQLRows(checking: result, on: self)
  }

  /// The server process serving this connection (pg_stat_activity.pid).
  var serverProcessID: Int32 { pq.backendPID(connection) }

  /// Sends `sql` (no parameters), runs `afterSending` (the tests' faults
  /// at COMMIT), then waits for its results: what `execute` does, with a
  /// moment between sending and the reply.
  func execute(_ sql: String, afterSending: () -> Void) throws(PostgreSQLFailure) {
    guard pq.sendQuery(connection, sql) == 1 else { throw failure("sending \(sql) failed") }
    afterSending()
    var failed: PostgreSQLFailure?
    var any = false
    while let result = pq.getResult(connection) {
      any = true
      do { _ = try PostgreSQLRows(checking: result, on: self) } catch { failed = failed ?? error }
    }
    if let failed { throw failed }
    if !any { throw failure("no result from the server") }
  }

  /// Closes the connection's socket under libpq, as a network failure
  /// would (tests only: the reply to a statement already sent is lost).
  /// The socket's descriptor is replaced by one end of a fresh socket
  /// pair whose other end is closed, so libpq reads end-of-file whether or
  /// not the server's reply has come: shutting the socket down left a
  /// reply that had already arrived readable (a test failed on that race
  /// under load). Closing the real socket still delivers what was sent.
  func cutOff() {
    var ends: [Int32] = [-1, -1]
    #if canImport(Glibc)
      let streamType = Int32(SOCK_STREAM.rawValue)
    #else
      let streamType = SOCK_STREAM
    #endif
    guard socketpair(AF_UNIX, streamType, 0, &ends) == 0 else {
      _ = shutdown(pq.socket(connection), Int32(SHUT_RDWR))
      return
    }
    close(ends[1])
    _ = dup2(ends[0], pq.socket(connection))
    close(ends[0])
  }

  /// Still connected, as far as libpq knows.
  var isConnected: Bool { pq.status(connection) == CONNECTION_OK }

  /// `COPY … FROM STDIN` (text format): `rows` are already encoded
  /// (`CopyText`), sent in chunks of about a megabyte.
  func copyIn(_ sql: String, rows: some Sequence<[UInt8]>) throws(PostgreSQLFailure) {
    let started = pq.exec(connection, sql)
    guard pq.resultStatus(started) == PGRES_COPY_IN else {
      _ = try PostgreSQLRows(checking: started, on: self)
      throw failure("the server did not start COPY")
    }
    pq.clear(started)
    var chunk: [UInt8] = []
    chunk.reserveCapacity(1 << 20)
    var sent = true
    for row in rows {
      chunk += row
      if chunk.count >= 1 << 20 {
        sent = sendCopyData(chunk)
        chunk.removeAll(keepingCapacity: true)
        if !sent { break }
      }
    }
    if sent && !chunk.isEmpty { sent = sendCopyData(chunk) }
    guard sent, pq.putCopyEnd(connection, nil) == 1 else { throw failure("sending COPY data failed") }
    try finishCopy()
  }

  private func sendCopyData(_ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
        pq.putCopyData(connection, $0, Int32(buffer.count)) == 1
      }
    }
  }

  /// `COPY (SELECT …) TO STDOUT` (text format): `row` gets each row's
  /// bytes (its fields separated by tabs, ending with a newline).
  func copyOut(_ sql: String, row: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
    let started = pq.exec(connection, sql)
    guard pq.resultStatus(started) == PGRES_COPY_OUT else {
      _ = try PostgreSQLRows(checking: started, on: self)
      throw failure("the server did not start COPY")
    }
    pq.clear(started)
    while true {
      var buffer: UnsafeMutablePointer<CChar>?
      let count = pq.getCopyData(connection, &buffer, 0)
      if count == -1 { break }
      guard count >= 0, let buffer else { throw failure("reading COPY data failed") }
      defer { pq.freemem(buffer) }
      try buffer.withMemoryRebound(to: UInt8.self, capacity: Int(count)) {
        try row(UnsafeBufferPointer(start: $0, count: Int(count)))
      }
    }
    try finishCopy()
  }

  /// The results that follow a COPY: its own, then none.
  private func finishCopy() throws(PostgreSQLFailure) {
    var failed: PostgreSQLFailure?
    while let result = pq.getResult(connection) {
      do { _ = try PostgreSQLRows(checking: result, on: self) } catch { failed = failed ?? error }
    }
    if let failed { throw failed }
  }

  /// The connection's last error, or `fallback`.
  func failure(_ fallback: String) -> PostgreSQLFailure {
    let message = text(pq.errorMessage(connection))
    return PostgreSQLFailure(
      sqlState: nil, message: message.isEmpty ? fallback : message,
      connectionLost: pq.status(connection) != CONNECTION_OK)
  }
}

/// A statement's rows, as text (nil for NULL), copied out of libpq's
/// result; or the statement's failure.
struct PostgreSQLRows {
  let rows: [[String?]]

  init(checking result: OpaquePointer?, on connection: PostgreSQLConnection) throws(PostgreSQLFailure) {
    guard let result else { throw connection.failure("no result from the server") }
    let pq = connection.pq
    defer { pq.clear(result) }
    switch pq.resultStatus(result) {
    case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_COPY_IN, PGRES_COPY_OUT:
      let rowCount = pq.ntuples(result)
      let columnCount = pq.nfields(result)
      rows = (0..<rowCount).map { row in
        (0..<columnCount).map { column in
          pq.getisnull(result, row, column) == 1 ? nil : text(pq.getvalue(result, row, column))
        }
      }
    default:
      let field = { (code: UInt8) -> String? in
        pq.resultErrorField(result, Int32(code)).map { String(cString: $0) }
      }
      let lost = connection.failure("")
      throw PostgreSQLFailure(
        sqlState: field(UInt8(ascii: "C")),
        message: field(UInt8(ascii: "M")) ?? text(pq.resultErrorMessage(result)),
        detail: field(UInt8(ascii: "D")), constraint: field(UInt8(ascii: "n")), table: field(UInt8(ascii: "t")),
        connectionLost: lost.connectionLost)
    }
  }

  /// The first column of the first row.
  var value: String? { rows.first?.first ?? nil }
  var int64: Int64? { value.flatMap { Int64($0) } }
}

/// C strings for libpq's arrays, alive during `body`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
  withOptionalCStrings(strings.map { Optional($0) }) { body($0 + [nil]) }
}

private func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
  let copies = strings.map { $0.map { strdup($0)! } }
  defer { for copy in copies { free(copy) } }
  return body(copies.map { $0.map { UnsafePointer($0) } })
}

/// A C string libpq returned (empty for none).
private func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
