import Foundation
import SyncDirectory

/// The directory's tables in its schema: the SQLite store's tables and
/// columns, as named migrations with the SQLite migrations' names, each
/// recorded in the schema's `migrations` table once run. A migration is
/// never changed once it has shipped: new needs get new migrations.
enum PostgreSQLSchema {
  struct Migration {
    let identifier: String
    let sql: String
  }

  /// SQLite's NOCASE folds ASCII letters only; so does this (lower() would
  /// fold every script, and by the database's locale).
  static func asciiLowercase(_ expression: String) -> String {
    "translate(\(expression), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
  }

  static let migrationsTable = "CREATE TABLE migrations (identifier text PRIMARY KEY)"

  // The account table leaves 15% of each page free: an apply's updates
  // then stay on their page and write no new index entries (HOT updates),
  // which halved a 100,000-update apply (Benchmarks/README.md). Set before
  // any PostgreSQL directory shipped, so in v1.
  static let migrations: [Migration] = [
    Migration(
      identifier: "v1 organizations, accounts, runs",
      sql: """
        CREATE TABLE directory_info (key text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE organization (
          id bigint PRIMARY KEY,
          external_id text UNIQUE,
          name text NOT NULL,
          kind text NOT NULL CHECK (kind IN ('district', 'school')),
          changed_generation bigint NOT NULL DEFAULT 0
        );
        CREATE TABLE account (
          id bigint PRIMARY KEY,
          custom_id text UNIQUE,
          first_name text NOT NULL,
          middle_name text NOT NULL DEFAULT '',
          last_name text NOT NULL,
          email text NOT NULL,
          organization_id bigint NOT NULL REFERENCES organization(id),
          user_type text NOT NULL CHECK (user_type IN ('Teacher', 'Staff', 'Administrator', 'Student')),
          position text NOT NULL DEFAULT '',
          grade text NOT NULL DEFAULT '',
          status text NOT NULL CHECK (status IN ('Active', 'Disabled')),
          changed_generation bigint NOT NULL DEFAULT 0
        ) WITH (fillfactor = 85);
        CREATE UNIQUE INDEX account_email ON account (\(asciiLowercase("email")));
        CREATE TABLE run (
          id bigint PRIMARY KEY,
          kind text NOT NULL CHECK (kind IN ('apply', 'revert', 'import')),
          started_at text NOT NULL,
          finished_at text NOT NULL,
          user_name text NOT NULL,
          host text NOT NULL,
          export_path text,
          export_sha256 text,
          reverts_run bigint REFERENCES run(id),
          generation bigint NOT NULL,
          counts text NOT NULL
        );
        CREATE TABLE change (
          id bigint PRIMARY KEY,
          run_id bigint NOT NULL REFERENCES run(id),
          action text NOT NULL,
          account_id bigint,
          organization_id bigint,
          custom_id text,
          line bigint,
          before text,
          after text NOT NULL,
          outcome text
        );
        CREATE INDEX change_run ON change (run_id);
        """),
    Migration(
      identifier: "v2 state tokens",
      sql: """
        CREATE TABLE directory_state (token text PRIMARY KEY, generation bigint NOT NULL);
        INSERT INTO directory_info (key, value)
          SELECT 'state_token', 'legacy-' || value FROM directory_info WHERE key = 'generation';
        INSERT INTO directory_state (token, generation)
          SELECT 'legacy-' || value, value::bigint FROM directory_info WHERE key = 'generation';
        """),
    Migration(
      identifier: "v3 generated emails",
      sql: "ALTER TABLE account ADD COLUMN email_generated integer NOT NULL DEFAULT 0"),
    Migration(identifier: "v4 settings", sql: "CREATE TABLE setting (key text PRIMARY KEY, value text NOT NULL)"),
    Migration(
      identifier: "v5 pending disables",
      sql: """
        CREATE TABLE pending_disable (
          account_id bigint PRIMARY KEY REFERENCES account(id), missing_since text NOT NULL,
          run_id bigint NOT NULL REFERENCES run(id))
        """),
    Migration(
      identifier: "v6 protections",
      sql: """
        CREATE TABLE protection (
          id bigint PRIMARY KEY, kind text NOT NULL CHECK (kind IN ('account', 'organization')),
          target_id bigint NOT NULL, reason text NOT NULL, until text, created_at text NOT NULL,
          created_by text NOT NULL, UNIQUE (kind, target_id))
        """),
    Migration(
      identifier: "v7 sources",
      sql: """
        CREATE TABLE account_source (account_id bigint PRIMARY KEY, source text NOT NULL);
        ALTER TABLE run ADD COLUMN source text;
        """),
    Migration(
      identifier: "v8 local fields",
      sql: "CREATE TABLE local_field (account_id bigint PRIMARY KEY, fields text NOT NULL)"),
    Migration(identifier: "v9 pending runs", sql: PendingRunRecord.createTableSQL(integer: "bigint", text: "text")),
  ]

  static var identifiers: Set<String> { Set(migrations.map(\.identifier)) }
}
