import CLibPQ

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// libpq's functions, found in the shared library when the first
/// PostgreSQL connection is made.
///
/// Linked into the binary, libpq and the twenty libraries it loads
/// (OpenSSL, Kerberos, LDAP, GnuTLS…) were loaded and relocated at the
/// start of every run: 3.5 ms of every command, most of which never talk
/// to a PostgreSQL server, and the plan's serial start. The functions are
/// libpq's own; only the way they are reached differs (`CLibPQ` gives
/// their types, and links nothing).
struct LibPQ: @unchecked Sendable {
  typealias Connection = OpaquePointer
  typealias Result = OpaquePointer
  typealias Strings = UnsafePointer<UnsafePointer<CChar>?>

  let connectdbParams: @convention(c) (Strings?, Strings?, Int32) -> Connection?
  let finish: @convention(c) (Connection?) -> Void
  let status: @convention(c) (Connection?) -> ConnStatusType
  let transactionStatus: @convention(c) (Connection?) -> PGTransactionStatusType
  let errorMessage: @convention(c) (Connection?) -> UnsafeMutablePointer<CChar>?
  let socket: @convention(c) (Connection?) -> Int32
  let backendPID: @convention(c) (Connection?) -> Int32
  let setNoticeProcessor:
    @convention(c) (Connection?, PQnoticeProcessor?, UnsafeMutableRawPointer?) -> PQnoticeProcessor?
  let exec: @convention(c) (Connection?, UnsafePointer<CChar>?) -> Result?
  let execParams:
    @convention(c) (
      Connection?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?, Strings?, UnsafePointer<Int32>?,
      UnsafePointer<Int32>?, Int32
    ) -> Result?
  let sendQuery: @convention(c) (Connection?, UnsafePointer<CChar>?) -> Int32
  let getResult: @convention(c) (Connection?) -> Result?
  let resultStatus: @convention(c) (Result?) -> ExecStatusType
  let resultErrorMessage: @convention(c) (Result?) -> UnsafeMutablePointer<CChar>?
  let resultErrorField: @convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?
  let clear: @convention(c) (Result?) -> Void
  let ntuples: @convention(c) (Result?) -> Int32
  let nfields: @convention(c) (Result?) -> Int32
  let getvalue: @convention(c) (Result?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
  let getisnull: @convention(c) (Result?, Int32, Int32) -> Int32
  let putCopyData: @convention(c) (Connection?, UnsafePointer<CChar>?, Int32) -> Int32
  let putCopyEnd: @convention(c) (Connection?, UnsafePointer<CChar>?) -> Int32
  let getCopyData: @convention(c) (Connection?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, Int32) -> Int32
  let freemem: @convention(c) (UnsafeMutableRawPointer?) -> Void

  /// The library, loaded once (or why it could not be).
  static let loaded: Swift.Result<LibPQ, PostgreSQLFailure> = load()

  /// Where the library is looked for; for tests only (man page,
  /// ENVIRONMENT), `SIS_SYNC_TEST_LIBPQ` names the one file to load.
  static var fileNames: [String] {
    if let path = getenv("SIS_SYNC_TEST_LIBPQ") { return [String(cString: path)] }
    #if canImport(Darwin)
      return ["libpq.5.dylib", "/opt/homebrew/opt/libpq/lib/libpq.5.dylib"]
    #else
      return ["libpq.so.5"]
    #endif
  }

  private static func load() -> Swift.Result<LibPQ, PostgreSQLFailure> {
    var reasons: [String] = []
    for name in fileNames {
      if let library = dlopen(name, RTLD_NOW | RTLD_LOCAL) {
        return Swift.Result { () throws(PostgreSQLFailure) in try LibPQ(library: library, name: name) }
      }
      reasons.append(dlerror().map { String(cString: $0) } ?? name)
    }
    return .failure(
      PostgreSQLFailure(
        sqlState: nil,
        message: "PostgreSQL directories need libpq, the PostgreSQL client library (Debian: apt-get install "
          + "libpq5): \(reasons.joined(separator: "; "))", unavailable: true))
  }

  private init(library: UnsafeMutableRawPointer, name: String) throws(PostgreSQLFailure) {
    func function<Function>(_ symbol: String) throws(PostgreSQLFailure) -> Function {
      guard let address = dlsym(library, symbol) else {
        throw PostgreSQLFailure(
          sqlState: nil, message: "\(name) has no \(symbol): libpq 10 or later is needed", unavailable: true)
      }
      return unsafeBitCast(address, to: Function.self)
    }
    connectdbParams = try function("PQconnectdbParams")
    finish = try function("PQfinish")
    status = try function("PQstatus")
    transactionStatus = try function("PQtransactionStatus")
    errorMessage = try function("PQerrorMessage")
    socket = try function("PQsocket")
    backendPID = try function("PQbackendPID")
    setNoticeProcessor = try function("PQsetNoticeProcessor")
    exec = try function("PQexec")
    execParams = try function("PQexecParams")
    sendQuery = try function("PQsendQuery")
    getResult = try function("PQgetResult")
    resultStatus = try function("PQresultStatus")
    resultErrorMessage = try function("PQresultErrorMessage")
    resultErrorField = try function("PQresultErrorField")
    clear = try function("PQclear")
    ntuples = try function("PQntuples")
    nfields = try function("PQnfields")
    getvalue = try function("PQgetvalue")
    getisnull = try function("PQgetisnull")
    putCopyData = try function("PQputCopyData")
    putCopyEnd = try function("PQputCopyEnd")
    getCopyData = try function("PQgetCopyData")
    freemem = try function("PQfreemem")
  }
}
