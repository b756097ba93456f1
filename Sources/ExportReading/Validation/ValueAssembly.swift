import SyncModel

/// A row's values as the mapping makes them from the record just read:
/// each column's source field decoded (Windows-1252 when not UTF-8) and
/// trimmed, or its constant, or its companion's value; a list cut to its
/// first item; translated; set by a `when` rule; defaulted; then the review
/// decisions applied. One routine for plain exports and mapped ones: the
/// mapping's extra steps run only for the columns that use them.
extension ValidationRun {
  /// Flattens `columns` into plain arrays, read once per value per row.
  func flattenColumns() {
    sourceFields = columns.map {
      if case .field(let index) = $0.source { return index }
      return -1
    }
    constantValues = columns.map {
      if case .constant(let bytes) = $0.source { return fixed.keep(bytes) }
      return nil
    }
    defaultValues = columns.map { $0.defaultValue.map { fixed.keep($0) } }
    translates = columns.map(\.hasTranslations)
    usesMapper = columns.map {
      guard mapper != nil else { return false }
      if case .companion = $0.source { return true }
      return $0.firstOfList || !$0.conditions.isEmpty || !$0.otherCopies.isEmpty
    }
    emailGenerator = columns[ExportColumn.email.rawValue].templates?.generate
    templateColumns = columns.compactMap { column in
      column.templates.flatMap { $0.fallback == nil && $0.byUserType.isEmpty ? nil : (column.column.rawValue, $0) }
    }
    _ = plainSourceFields.update(fromContentsOf: sourceFields)
    assemblesPlainly =
      mapper == nil && templateColumns.isEmpty && emailGenerator == nil && !hasOverrides
      && constantValues.allSatisfy { $0 == nil } && defaultValues.allSatisfy { $0 == nil }
      && !translates.contains(true) && !usesMapper.contains(true)
  }

  /// `assembleValues` for a plain export: each value its field trimmed
  /// (decoded when not known plain text), or empty when the column is
  /// missing or the record short. The same values, without the per-column
  /// checks for mapping steps that cannot apply.
  func assemblePlainValues(line: Int) {
    let fields = reader.fields
    let sources = plainSourceFields
    let values = values
    let empty = fixed.empty
    let plainValues = plainValues
    // A plain record's fields are all plain text: none needs decoding, and
    // the checks need not look for encodings or control characters. In
    // another record each field is looked at once (most are plain still).
    let plainRecord = reader.isPlainTextRecord
    for slot in 0..<ExportColumn.count {
      let fieldIndex = sources[slot]
      plainValues[slot] = true
      guard fieldIndex >= 0 && fieldIndex < fields.count else {
        values[slot] = empty
        continue
      }
      var value = fields[fieldIndex]
      if plainRecord {
        // Plain text holds no tab, line break or no-break space: only a
        // space at either end can need trimming (two compares, usually).
        if let base = value.baseAddress, !value.isEmpty, base[0] == 0x20 || base[value.count - 1] == 0x20 {
          value = trimmed(value)
        }
      } else {
        value = trimmed(value)
        let classes = TextDecoding.classify(value)
        if classes.hasNonASCII || classes.hasControl {
          plainValues[slot] = false
          value = decoded(value, column: allColumns[slot], field: fieldIndex + 1, line: line, classes: classes)
        }
      }
      values[slot] = value
    }
  }

  /// Points `values` at each column's value for the current record.
  func assembleValues(line: Int, row: Int) {
    plainValues.update(repeating: false)
    mapper?.prepare(reader)
    var missingCompanion: CompanionTable?
    for column in allColumns {
      let slot = column.rawValue
      var value = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
      let fieldIndex = sourceFields[slot]
      if fieldIndex >= 0 {
        if fieldIndex < reader.fieldCount {
          value = trimmed(reader.field(fieldIndex))
          // Plain ASCII (the common line) is valid UTF-8 as it stands.
          if !reader.isKnownPlainText(value) {
            value = decoded(value, column: column, field: fieldIndex + 1, line: line)
          }
        }
      } else if let constant = constantValues[slot] {
        value = constant
      }
      let mapped = usesMapper[slot]
      if mapped, let mapper {
        value = mappedSource(value, column: column, mapper: mapper, line: line, missingCompanion: &missingCompanion)
      }
      if translates[slot], !value.isEmpty,
        let translated = columns[slot].translate(String(decoding: value, as: UTF8.self))
      {
        value = owned[slot].store(translated.utf8)
      }
      if mapped, let mapper, let target = mapper.conditionTarget(columns[slot], reader) {
        value = owned[slot].store(target)
      }
      if value.isEmpty, let defaultValue = defaultValues[slot] { value = defaultValue }
      values[slot] = value
    }
    if let missingCompanion { findings.append(.noCompanionRow(missingCompanion, line: line)) }
    if !templateColumns.isEmpty { applyTemplates(line: line, row: row) }
    if emailGenerator != nil { proposeEmail(line: line, row: row) }
    if hasOverrides { applyOverrides(line: line) }
  }

  /// A companion's value, or a list cut to its first item. (Out of line:
  /// plain exports never come here, and the per-row loop stays small.)
  @inline(never)
  private func mappedSource(
    _ read: UnsafeBufferPointer<UInt8>, column: ExportColumn, mapper: RowMapper, line: Int,
    missingCompanion: inout CompanionTable?
  ) -> UnsafeBufferPointer<UInt8> {
    let slot = column.rawValue
    let resolved = columns[slot]
    var value = read
    if case .companion(let companion, let field) = resolved.source {
      if let text = mapper.companionValue(companion, field) {
        value = owned[slot].store(text.utf8)
      } else {
        missingCompanion = mapper.missingCompanion(for: resolved)
      }
    }
    if !resolved.otherCopies.isEmpty, case .field(let read) = resolved.source {
      noteDisagreeingCopies(resolved, read: read, value: value, line: line)
    }
    if resolved.firstOfList, value.contains(0x2C) {
      let text = String(decoding: value, as: UTF8.self)
      value = owned[slot].store(RowMapper.firstItem(text).first.utf8)
      noteList(column, text, line: line)
    }
    return value
  }

  /// W057 for each other copy of a repeated header holding another
  /// non-empty value than the copy read.
  private func noteDisagreeingCopies(
    _ resolved: ResolvedColumn, read: Int, value: UnsafeBufferPointer<UInt8>, line: Int
  ) {
    let readText = String(decoding: value, as: UTF8.self)
    for other in resolved.otherCopies where other < reader.fieldCount {
      let otherText = RowMapper.text(reader.field(other))
      guard !otherText.isEmpty, otherText != readText else { continue }
      findings.append(
        .copiesDisagree(
          resolved.column, header: headers[read].trimmingCharacters(in: .whitespaces), read: read, other: other,
          line: line, readValue: readText,
          otherValue: otherText))
    }
  }

  private func noteList(_ column: ExportColumn, _ value: String, line: Int) {
    lists[column, default: (value, LineTally())].lines.add(line)
  }

  /// Review decisions: a replaced custom_id or building ID on one line, and
  /// building IDs remapped for every row.
  private func applyOverrides(line: Int) {
    let school = ExportColumn.schoolExternalID.rawValue
    if !options.overrides.buildingRemaps.isEmpty,
      let remapped = options.overrides.buildingRemaps[String(decoding: values[school], as: UTF8.self)]
    {
      values[school] = owned[school].store(remapped.utf8)
    }
    for (column, map) in options.overrides.valueMaps {
      let slot = column.rawValue
      if let mapped = map[String(decoding: values[slot], as: UTF8.self).lowercased()] {
        values[slot] = owned[slot].store(mapped.utf8)
      }
    }
    for (column, value) in options.overrides.byLine[line] ?? [:] {
      values[column.rawValue] = owned[column.rawValue].store(value.utf8)
    }
  }

  /// The value itself when it is UTF-8; else its Windows-1252 reading,
  /// reported so the reviewer can check the name.
  /// (`classes`: the value's, when already known.)
  private func decoded(
    _ value: UnsafeBufferPointer<UInt8>, column: ExportColumn, field: Int, line: Int,
    classes: TextDecoding.ByteClasses? = nil
  ) -> UnsafeBufferPointer<UInt8> {
    if !(classes ?? TextDecoding.classify(value)).hasNonASCII || TextDecoding.isValidUTF8(value) { return value }
    let text = TextDecoding.windows1252ToUTF8(value)
    findings.append(.windows1252(column, field: field, line: line, readAs: String(decoding: text, as: UTF8.self)))
    return owned[column.rawValue].store(text)
  }

  /// Without leading and trailing spaces, tabs, line breaks and no-break
  /// spaces (U+00A0, common in spreadsheet exports).
  @inline(__always)
  private func trimmed(_ value: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    guard let base = value.baseAddress, !value.isEmpty else { return value }
    var start = 0
    var end = value.count
    while start < end {
      let byte = base[start]
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        start += 1
      } else if byte == 0xC2, start + 1 < end, base[start + 1] == 0xA0 {
        start += 2
      } else {
        break
      }
    }
    while end > start {
      let byte = base[end - 1]
      if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
        end -= 1
      } else if byte == 0xA0, end - 2 >= start, base[end - 2] == 0xC2 {
        end -= 2
      } else {
        break
      }
    }
    return UnsafeBufferPointer(start: base + start, count: end - start)
  }
}
