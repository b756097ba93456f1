import SyncModel
import SyncPlanning

/// `sis-sync settings`: every setting with its value and whether it is
/// stored in the directory or the built-in default.
public enum SettingsReport {
  public static func text(_ settings: DirectorySettings) -> String {
    // Aligned on the single keys; a school's key (grades.SCHOOL) may run longer.
    let width = SettingsRegistry.all.filter { !$0.isFamily }.map(\.key.count).max() ?? 0
    var out = ""
    for entry in settings.entries {
      let name = entry.definition.key
      let key = name.count >= width ? name : name.padding(toLength: width, withPad: " ", startingAt: 0)
      var origin = entry.isStored ? "stored" : "default"
      if entry.isStored, (try? entry.definition.checked(entry.value)) == nil {
        origin += "; not a value of this setting: runs stop until it is set again or unset"
      }
      out += "\(key)  \(entry.value)  (\(origin))\n"
      // A school's key (grades.E1): its family's line above says what it means.
      guard SettingsRegistry.all.contains(where: { $0.key == name }) else { continue }
      let definition = entry.definition
      out += "  \(definition.meaning) Value: \(definition.syntax); default \(definition.defaultValue).\n"
    }
    for key in settings.unknownKeys {
      out += "\(key)  \(settings.stored[key] ?? "")  (stored; unknown to this version of sis-sync, not used)\n"
    }
    return out
  }

  public static func json(_ settings: DirectorySettings) -> String {
    var json = JSONWriter()
    json.beginObject()
    json.key("settings")
    json.beginArray()
    for entry in settings.entries {
      json.beginObject()
      json.field("key", entry.definition.key)
      json.field("value", entry.value)
      json.field("stored", entry.isStored)
      json.field("default", entry.definition.defaultValue)
      json.field("syntax", entry.definition.syntax)
      json.field("meaning", entry.definition.meaning)
      json.endObject()
    }
    json.endArray()
    json.key("unknown")
    json.beginArray()
    for key in settings.unknownKeys {
      json.beginObject()
      json.field("key", key)
      json.field("value", settings.stored[key])
      json.endObject()
    }
    json.endArray()
    json.endObject()
    return json.output + "\n"
  }
}
