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

  /// The mapping, and for `auto` what was recognised (nil: no preset fits,
  /// the standard headers are read).
  public static func resolve(
    _ name: String, exportPath: String
  ) throws(Failure) -> (mapping: ColumnMapping, recognized: PresetRecognition?) {
    if FileManager.default.fileExists(atPath: name) {
      do { return (try MappingFileParser.load(path: name), nil) } catch { throw .invalidFile(error) }
    }
    if name == "auto" {
      let headers = (try? headerRow(of: exportPath)) ?? []
      guard let fit = PresetRecognition.recognize(headers), let preset = MappingPreset.named(fit.preset) else {
        return (.identity, nil)
      }
      var mapping = preset.mapping
      mapping.origin = "preset \(preset.name) (auto)"
      return (mapping, fit)
    }
    guard let preset = MappingPreset.named(name) else { throw .unknown(name) }
    return (preset.mapping, nil)
  }

  /// The first record of a CSV file, as text.
  public static func headerRow(of path: String) throws -> [String] {
    // A regular file only: `auto` must not wait on a FIFO export.
    let reader = CSVReader(source: try RegularFile(path: path).bytes())
    guard try reader.next() else { return [] }
    return (0..<reader.fieldCount).map { reader.fieldText($0) }
  }
}
