import Foundation

/// What the server or libpq said went wrong, with the SQLSTATE when the
/// server sent one. `description` says it in an admin's words; libpq's
/// messages never contain the password, and `PostgreSQLLocation` removes
/// it from any text besides.
struct PostgreSQLFailure: Error, CustomStringConvertible {
  var sqlState: String?
  var message: String
  var detail: String?
  var constraint: String?
  var table: String?
  /// The connection is gone (the server stopped, the network failed).
  var connectionLost = false
  /// The failure happened while connecting.
  var connecting = false
  /// libpq itself could not be loaded: `message` says why, and what to install.
  var unavailable = false

  /// A unique index or another constraint refused a write (class 23, as
  /// SQLite's SQLITE_CONSTRAINT covers every constraint).
  var isConstraintViolation: Bool { sqlState?.hasPrefix("23") == true }

  /// `DuplicateKey`'s words, in SQLite's form ("UNIQUE constraint failed:
  /// account.email") for the unique indexes.
  var constraintMessage: String {
    switch constraint {
    case "account_email": "UNIQUE constraint failed: account.email"
    case "account_custom_id_key": "UNIQUE constraint failed: account.custom_id"
    case "organization_external_id_key": "UNIQUE constraint failed: organization.external_id"
    default: message
    }
  }

  var description: String {
    let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
    let lower = text.lowercased()
    if unavailable { return text }
    if connecting {
      if lower.contains("connection refused") {
        return "cannot connect to the PostgreSQL server (connection refused): is it running, and on that host and port?"
      }
      if lower.contains("password authentication failed") || lower.contains("no password supplied")
        || lower.contains("authentication failed")
      {
        return "the PostgreSQL server refused the login (authentication failed): check the user, and the password "
          + "given by PGPASSWORD or ~/.pgpass (never put it in --directory)"
      }
      if lower.contains("server does not support ssl") {
        return "TLS was required (sslmode) but the PostgreSQL server does not offer it"
      }
      if lower.contains("no encryption") && lower.contains("pg_hba.conf") {
        return "the PostgreSQL server requires TLS for this user (pg_hba.conf): add ?sslmode=require (or verify-full "
          + "with PGSSLROOTCERT) to the directory's URL"
      }
      if lower.contains("does not exist") && lower.contains("database") {
        return "the PostgreSQL database named in the URL does not exist: " + firstLine(text)
      }
      return "cannot connect to the PostgreSQL server: " + firstLine(text)
    }
    switch sqlState {
    case "57014": return "the PostgreSQL server cancelled a statement (statement timeout, or cancelled by an admin)"
    case "42501": return "the PostgreSQL role lacks a right it needs here: " + firstLine(text)
    case "57P01", "57P02", "57P03":
      return "the PostgreSQL server is shutting down or restarting: " + firstLine(text)
    case "53100": return "the PostgreSQL server's disk is full"
    default: break
    }
    if connectionLost { return "the connection to the PostgreSQL server was lost: " + firstLine(text) }
    return "PostgreSQL: " + firstLine(text) + (sqlState.map { " (SQLSTATE \($0))" } ?? "")
  }

  private func firstLine(_ text: String) -> String {
    String(text.split(separator: "\n", omittingEmptySubsequences: true).first ?? "")
  }
}
