import ExportReading
import SyncApplying
import SyncDirectory
import SyncModel
import SyncPlanning

/// `organizations match` for people (a table) and scripts (JSON).
/// Organization names are not personal data; they are printed.
public enum OrganizationMatchReport {
  /// The proposals as a table, then what is unmatched on either side.
  public static func text(_ matching: OrganizationMatching) -> String {
    var rows = [["organization", "external ID now", "proposed", "file's name (line)", "confidence", "reason"]]
    for proposal in matching.proposals {
      rows.append([
        proposal.organization.name, proposal.organization.externalID ?? "(none)",
        proposal.changesDirectory ? proposal.externalID : "(keeps it)",
        "\(proposal.entry.name) (\(proposal.entry.line))", "\(proposal.confidence)%", proposal.reason.rawValue,
      ])
    }
    var text = matching.proposals.isEmpty ? "No organization of the directory matches one of the file.\n" : table(rows)
    if !matching.unmatchedOrganizations.isEmpty {
      text += "\nNot matched in the directory (nothing in the file fits well enough):\n"
      for organization in matching.unmatchedOrganizations {
        text +=
          "  \(organization.name) (\(organization.kind.rawValue), external ID \(organization.externalID ?? "none"))\n"
      }
    }
    if !matching.unmatchedEntries.isEmpty {
      text += "\nNot matched in the file:\n"
      for entry in matching.unmatchedEntries {
        text += "  line \(entry.line): \(entry.name) (\(entry.kind.rawValue), ID \(entry.externalID ?? "none"))\n"
      }
    }
    return text
  }

  /// Columns padded to their widest cell (names are short; plain padding
  /// by characters is enough here).
  package static func table(_ rows: [[String]]) -> String {
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { column, cell in
        column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
      }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }

  /// `result` is `proposed` (nothing applied), `applied` or `no_changes`.
  public static func json(_ matching: OrganizationMatching, result: String, run: RunRecord?) -> String {
    var json = JSONWriter()
    json.beginObject()
    json.field("result", result)
    json.field("run_id", run.map { Int($0.id) })
    json.key("proposals")
    json.beginArray()
    for proposal in matching.proposals {
      json.beginObject()
      json.field("organization_id", Int(proposal.organization.id))
      json.field("name", proposal.organization.name)
      json.field("kind", proposal.organization.kind.rawValue)
      json.field("external_id", proposal.organization.externalID)
      json.field("proposed_external_id", proposal.externalID)
      json.field("file_name", proposal.entry.name)
      json.field("file_line", proposal.entry.line)
      json.field("confidence", proposal.confidence)
      json.field("reason", proposal.reason.rawValue)
      json.field("changes", proposal.changesDirectory)
      json.endObject()
    }
    json.endArray()
    json.key("unmatched_organizations")
    json.beginArray()
    for organization in matching.unmatchedOrganizations {
      json.beginObject()
      json.field("organization_id", Int(organization.id))
      json.field("name", organization.name)
      json.field("external_id", organization.externalID)
      json.endObject()
    }
    json.endArray()
    json.key("unmatched_file")
    json.beginArray()
    for entry in matching.unmatchedEntries {
      json.beginObject()
      json.field("line", entry.line)
      json.field("name", entry.name)
      json.field("external_id", entry.externalID)
      json.endObject()
    }
    json.endArray()
    json.endObject()
    json.newline()
    return json.output
  }
}
