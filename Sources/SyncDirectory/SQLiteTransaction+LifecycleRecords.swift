import Foundation
import GRDB
import SyncModel

/// The records the lifecycle rules keep beside the accounts (issue 15):
/// settings, protections, the source managing each account, local fields
/// and pending disables, read and written. A directory made before one of
/// them, opened to read (not migrated), has none of it.
extension SQLiteTransaction {
  // MARK: - Reading

  func settings() throws -> [String: String] {
    try translating {
      // A directory made before settings, opened to read (not migrated), has none.
      guard try db.tableExists("setting") else { return [:] }
      return Dictionary(
        uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT key, value FROM setting").map {
          ($0["key"] as String, $0["value"] as String)
        })
    }
  }

  func protections() throws -> [ProtectionRecord] {
    try translating {
      // A directory made before protections, opened to read (not migrated), has none.
      guard try db.tableExists("protection") else { return [] }
      let rows = try Row.fetchAll(
        db, sql: "SELECT id, kind, target_id, reason, until, created_at, created_by FROM protection ORDER BY id")
      return rows.map(Self.protection)
    }
  }

  func accountSources() throws -> [Int64: String] {
    try translating {
      // A directory made before sources, opened to read (not migrated), has none.
      guard try db.tableExists("account_source") else { return [:] }
      var sources: [Int64: String] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT account_id, source FROM account_source") {
        sources[row["account_id"]] = row["source"] as String
      }
      return sources
    }
  }

  func localFields() throws -> [Int64: [String]] {
    try translating {
      // A directory made before local fields, opened to read (not migrated), has none.
      guard try db.tableExists("local_field") else { return [:] }
      var fields: [Int64: [String]] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT account_id, fields FROM local_field") {
        let names: String = row["fields"]
        fields[row["account_id"]] = names.split(separator: ",").map(String.init)
      }
      return fields
    }
  }

  static func protection(_ row: Row) -> ProtectionRecord {
    let kind: String = row["kind"]
    let until: String? = row["until"]
    return ProtectionRecord(
      id: row["id"], kind: ProtectionRecord.Kind(rawValue: kind) ?? .account, targetID: row["target_id"],
      reason: row["reason"], until: until, createdAt: row["created_at"], createdBy: row["created_by"])
  }

  func pendingDisables() throws -> [PendingDisableRecord] {
    try translating {
      // A directory made before grace, opened to read (not migrated), has none.
      guard try db.tableExists("pending_disable") else { return [] }
      return try Row.fetchAll(
        db, sql: "SELECT account_id, missing_since, run_id FROM pending_disable ORDER BY account_id"
      ).map {
        PendingDisableRecord(accountID: $0["account_id"], missingSince: $0["missing_since"], runID: $0["run_id"])
      }
    }
  }

  // MARK: - Writing

  func addPendingDisables(_ records: [PendingDisableRecord]) throws {
    try translating {
      for record in records {
        try db.execute(
          sql: "INSERT OR REPLACE INTO pending_disable (account_id, missing_since, run_id) VALUES (?, ?, ?)",
          arguments: [record.accountID, record.missingSince, record.runID])
      }
    }
  }

  func removePendingDisables(accountIDs: [Int64]) throws {
    try translating {
      for id in accountIDs { try db.execute(sql: "DELETE FROM pending_disable WHERE account_id = ?", arguments: [id]) }
    }
  }

  func setSetting(_ key: String, to value: String?) throws {
    try translating {
      if let value {
        try db.execute(sql: "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", arguments: [key, value])
      } else {
        try db.execute(sql: "DELETE FROM setting WHERE key = ?", arguments: [key])
      }
    }
  }

  func setProtection(_ kind: ProtectionRecord.Kind, target: Int64, to protection: ProtectionRecord?) throws {
    try translating {
      try db.execute(
        sql: "DELETE FROM protection WHERE kind = ? AND target_id = ?", arguments: [kind.rawValue, target])
      guard let protection else { return }
      try db.execute(
        sql: """
          INSERT INTO protection (kind, target_id, reason, until, created_at, created_by)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          kind.rawValue, target, protection.reason, protection.until, protection.createdAt, protection.createdBy,
        ])
    }
  }

  func setAccountSource(_ source: String?, ofAccount id: Int64) throws {
    try translating {
      if let source {
        try db.execute(
          sql: "INSERT OR REPLACE INTO account_source (account_id, source) VALUES (?, ?)", arguments: [id, source])
      } else {
        try db.execute(sql: "DELETE FROM account_source WHERE account_id = ?", arguments: [id])
      }
    }
  }

  func setLocalFields(_ fields: [String], ofAccount account: Int64) throws {
    try translating {
      if fields.isEmpty {
        try db.execute(sql: "DELETE FROM local_field WHERE account_id = ?", arguments: [account])
      } else {
        try db.execute(
          sql: "INSERT OR REPLACE INTO local_field (account_id, fields) VALUES (?, ?)",
          arguments: [account, fields.joined(separator: ",")])
      }
    }
  }
}
