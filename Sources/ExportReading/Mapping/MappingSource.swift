import Foundation
import SyncModel

/// What `--mapping` names: a mapping file, a built-in preset, or `auto`
/// (the preset the export's header row fits, else none).
public enum MappingSource {
  public enum Failure: Error, CustomStringConvertible {
    case invalidFile(MappingFileError)
    case unknown(String)

    public var description: String {
      switch self {
      case .invalidFile(let error): "\(error)"
      case .unknown(let name):
        "no mapping file or preset named '\(name)'"
          + (closestMatch(to: name, among: MappingPreset.all.map(\.name)).map { "; did you mean '\($0)'?" } ?? "")
          + " (presets: " + MappingPreset.all.map(\.name).joined(separator: ", ") + "; or auto)"
      }
    }
  }

  /// What `--mapping` resolved to.
  public struct Resolved {
    public var mapping: ColumnMapping
    /// For `auto`: the preset chosen (nil: none fits, the standard headers
    /// are read).
    public var recognized: PresetRecognition?
    /// For `auto` when no preset is chosen: the one the file comes closest
    /// to, to say what it lacks.
    public var closest: PresetRecognition?
  }

  /// The mapping `name` stands for; `auto` looks at the export's header
  /// row and at the companion files beside it.
  public static func resolve(_ name: String, exportPath: String) throws(Failure) -> Resolved {
    if FileManager.default.fileExists(atPath: name) {
      do { return Resolved(mapping: try MappingFileParser.load(path: name)) } catch { throw .invalidFile(error) }
    }
    if name == "auto" {
      let headers = (try? headerRow(of: exportPath)) ?? []
      guard let fit = PresetRecognition.recognize(headers, exportPath: exportPath),
        let preset = MappingPreset.named(fit.preset)
      else {
        return Resolved(mapping: .identity, closest: PresetRecognition.closest(headers, exportPath: exportPath))
      }
      var mapping = preset.mapping
      mapping.origin = "preset \(preset.name) (auto)"
      return Resolved(mapping: mapping, recognized: fit)
    }
    guard let preset = MappingPreset.named(name) else { throw .unknown(name) }
    return Resolved(mapping: preset.mapping)
  }

  /// The first record of a CSV file, as text.
  public static func headerRow(of path: String) throws -> [String] {
    // A regular file only: `auto` must not wait on a FIFO export.
    let reader = CSVReader(source: try RegularFile(path: path).bytes())
    guard try reader.next() else { return [] }
    return (0..<reader.fieldCount).map { reader.fieldText($0) }
  }
}

extension MappingSource {
  /// What `--mapping auto` chose, one line for stderr: the preset and how
  /// much of it the file has; or, when none fits, the closest preset and
  /// what the file lacks for it.
  public static func autoChoiceMessage(_ resolved: Resolved) -> String {
    if let fit = resolved.recognized {
      var text =
        "sis-sync: --mapping auto: using the preset \(fit.preset) (\(fit.matched) of its \(fit.total) required headers found"
      if !fit.fits { text += "; missing: " + fit.missingDescription }
      return text + ")"
    }
    var text = "sis-sync: --mapping auto: no preset fits these headers; reading the standard headers"
    if let closest = resolved.closest, let preset = MappingPreset.named(closest.preset) {
      text +=
        ". The closest preset is \(preset.name) (\(preset.title)): \(closest.matched) of its \(closest.total) "
        + "headers found; missing: " + closest.missingDescription
    }
    return text
  }
}
