import ExportReading
import GRDB
import SyncModel

/// The schema, as named migrations. A migration is never changed once it
/// has shipped: new needs get new migrations.
enum DirectorySchema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1 organizations, accounts, runs") { db in
      try db.execute(
        sql: """
          CREATE TABLE directory_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          CREATE TABLE organization (
            id INTEGER PRIMARY KEY,
            external_id TEXT UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('district', 'school')),
            changed_generation INTEGER NOT NULL DEFAULT 0
          );
          CREATE TABLE account (
            id INTEGER PRIMARY KEY,
            custom_id TEXT UNIQUE,
            first_name TEXT NOT NULL,
            middle_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL,
            email TEXT NOT NULL,
            organization_id INTEGER NOT NULL REFERENCES organization(id),
            user_type TEXT NOT NULL CHECK (user_type IN ('Teacher', 'Staff', 'Administrator', 'Student')),
            position TEXT NOT NULL DEFAULT '',
            grade TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL CHECK (status IN ('Active', 'Disabled')),
            changed_generation INTEGER NOT NULL DEFAULT 0
          );
          CREATE UNIQUE INDEX account_email ON account (email COLLATE NOCASE);
          CREATE TABLE run (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('apply', 'revert', 'import')),
            started_at TEXT NOT NULL,
            finished_at TEXT NOT NULL,
            user_name TEXT NOT NULL,
            host TEXT NOT NULL,
            export_path TEXT,
            export_sha256 TEXT,
            reverts_run INTEGER REFERENCES run(id),
            generation INTEGER NOT NULL,
            counts TEXT NOT NULL
          );
          CREATE TABLE change (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES run(id),
            action TEXT NOT NULL,
            account_id INTEGER,
            organization_id INTEGER,
            custom_id TEXT,
            line INTEGER,
            before TEXT,
            after TEXT NOT NULL,
            outcome TEXT
          );
          CREATE INDEX change_run ON change (run_id);
          """)
    }
    // Every state of the directory gets a random token (renewed by each
    // write), recorded here, so a plan or cache for a state this directory
    // never had (a restored backup, another file) is told apart from one
    // it merely moved on from. A directory from before it gets a token
    // derived from its generation until its next write.
    migrator.registerMigration("v2 state tokens") { db in
      try db.execute(
        sql: """
          CREATE TABLE directory_state (token TEXT PRIMARY KEY, generation INTEGER NOT NULL);
          INSERT INTO directory_info (key, value)
            SELECT 'state_token', 'legacy-' || value FROM directory_info WHERE key = 'generation';
          INSERT INTO directory_state (token, generation)
            SELECT 'legacy-' || value, CAST(value AS INTEGER) FROM directory_info WHERE key = 'generation';
          """)
    }
    // An email the mapping's generate rule made (and the admin accepted)
    // is recorded as such (issue 11): existing accounts read 0.
    migrator.registerMigration("v3 generated emails") { db in
      try db.execute(sql: "ALTER TABLE account ADD COLUMN email_generated INTEGER NOT NULL DEFAULT 0")
    }
    // Settings shared by every admin and scheduled run (issue 15): a key
    // not stored has its built-in default.
    migrator.registerMigration("v4 settings") { db in
      try db.execute(sql: "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    }
    // Grace before disable (issue 15): accounts found missing, with when
    // and by which run.
    migrator.registerMigration("v5 pending disables") { db in
      try db.execute(
        sql: """
          CREATE TABLE pending_disable (
            account_id INTEGER PRIMARY KEY REFERENCES account(id), missing_since TEXT NOT NULL,
            run_id INTEGER NOT NULL REFERENCES run(id))
          """)
    }
    // Protected accounts and organizations (issue 15): one per record.
    migrator.registerMigration("v6 protections") { db in
      try db.execute(
        sql: """
          CREATE TABLE protection (
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('account', 'organization')),
            target_id INTEGER NOT NULL, reason TEXT NOT NULL, until TEXT, created_at TEXT NOT NULL,
            created_by TEXT NOT NULL, UNIQUE (kind, target_id))
          """)
    }
    // Several sources (issue 15): the source that manages each account,
    // and the source each run's export came from.
    migrator.registerMigration("v7 sources") { db in
      try db.execute(
        sql: """
          CREATE TABLE account_source (account_id INTEGER PRIMARY KEY, source TEXT NOT NULL);
          ALTER TABLE run ADD COLUMN source TEXT;
          """)
    }
    // Fields an account keeps as the district set them (issue 15): the
    // sync leaves them alone. One row per account, the field names comma
    // separated.
    migrator.registerMigration("v8 local fields") { db in
      try db.execute(sql: "CREATE TABLE local_field (account_id INTEGER PRIMARY KEY, fields TEXT NOT NULL)")
    }
    // Held scheduled runs kept for a person (issue 16): the record, then
    // the plan and the export (base64) with its mapping and companions.
    migrator.registerMigration("v9 pending runs") { db in
      try db.execute(sql: PendingRunRecord.createTableSQL(integer: "INTEGER", text: "TEXT"))
    }
    return migrator
  }
}
