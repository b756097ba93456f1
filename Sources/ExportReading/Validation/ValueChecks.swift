import SyncModel

/// The checks on a row's assembled values (SPEC §3): required values,
/// control characters, lengths, emails, IDs, the vocabularies, building
/// IDs against the directory, and grade and position by user type. The
/// rules themselves are in ValueRules.swift, the words in
/// ValidationMessages.swift.
extension ValidationRun {
  func checkValues(line: Int, row: Int) {
    var userType: Int?
    var userTypeValid = true
    let plainValues = plainValues
    for column in allColumns {
      let value = values[column.rawValue]
      let plain = plainValues[column.rawValue]
      if !checkGeneric(value, column: column, line: line, row: row, plain: plain) { continue }
      switch column {
      case .email:
        checkEmail(value, line: line, row: row)
      case .customID:
        checkCustomID(value, line: line, row: row)
      case .userType:
        userType = checkVocabulary(value, column: .userType, line: line, row: row)
        userTypeValid = userType != nil
      case .status:
        _ = checkVocabulary(value, column: .status, line: line, row: row)
      case .schoolExternalID where knownOrganizations != nil:
        checkOrganization(value, line: line, row: row)
      default:
        break
      }
    }
    guard userTypeValid, let userType else { return }
    let isStudent = userType == studentIndex
    let grade = values[ExportColumn.grade.rawValue]
    let position = values[ExportColumn.position.rawValue]
    if isStudent {
      if grade.isEmpty {
        values[ExportColumn.grade.rawValue] = fixed.grades[0]  // Unspecified
      } else if plainValues[ExportColumn.grade.rawValue]
        || ValueRules.forbiddenControlCharacter(in: grade, column: .grade) == nil
      {
        _ = checkVocabulary(grade, column: .grade, line: line, row: row)
      }
      if !position.isEmpty { ignored[.position, default: LineTally()].add(line) }
    } else if !grade.isEmpty {
      ignored[.grade, default: LineTally()].add(line)
      values[ExportColumn.grade.rawValue] = fixed.empty
    }
    if isStudent && !position.isEmpty { values[ExportColumn.position.rawValue] = fixed.empty }
  }

  /// Control characters, required values and lengths. False when the value
  /// is already in error (or empty) and needs no further checks. A
  /// plain-text value (`plain`, the common case) can only be too long.
  @inline(__always)
  private func checkGeneric(
    _ value: UnsafeBufferPointer<UInt8>, column: ExportColumn, line: Int, row: Int, plain: Bool
  ) -> Bool {
    if value.isEmpty {
      checkEmpty(column: column, line: line, row: row)
      return false
    }
    if plain && value.count <= column.maximumLength { return true }
    return checkContent(value, column: column, line: line, row: row)
  }

  @inline(never)
  private func checkEmpty(column: ExportColumn, line: Int, row: Int) {
    if column.isRequired && !(column == .customID && options.customIDOptional) && !emptyExplained[column.rawValue] {
      report(.missingValue(column, field: fieldNumber(column), line: line), row: row)
    }
  }

  /// `checkGeneric` for a non-empty value that may hold anything.
  @inline(never)
  private func checkContent(_ value: UnsafeBufferPointer<UInt8>, column: ExportColumn, line: Int, row: Int) -> Bool {
    // A value as read from a plain line holds neither (no need to look).
    let classes =
      plainValues[column.rawValue] || reader.isKnownPlainText(value)
      ? TextDecoding.ByteClasses() : TextDecoding.classify(value)
    // C1 controls and bidi controls are multi-byte: only non-ASCII values
    // are scanned for them.
    if classes.hasControl || classes.hasNonASCII,
      let control = ValueRules.forbiddenControlCharacter(in: value, column: column)
    {
      report(.controlCharacter(control, column, field: fieldNumber(column), line: line, value: value), row: row)
      return false
    }
    if classes.hasNonASCII, let bidi = ValueRules.bidiControl(in: value) {
      report(.bidiControl(bidi, column, field: fieldNumber(column), line: line, value: value), row: row)
    }
    if classes.hasControl, column == .firstName || column == .middleName || column == .lastName,
      value.contains(0x0A) || value.contains(0x0D)
    {
      report(.lineBreakInName(column, field: fieldNumber(column), line: line, value: value), row: row)
    }
    let length = classes.hasNonASCII ? ValueRules.scalarCount(value) : value.count
    if length > column.maximumLength {
      report(.valueTooLong(column, field: fieldNumber(column), line: line, value: value, length: length), row: row)
      return false
    }
    return true
  }

  private func checkEmail(_ value: UnsafeBufferPointer<UInt8>, line: Int, row: Int) {
    if !ValueRules.isValidEmail(value) {
      report(.invalidEmail(field: fieldNumber(.email), line: line, value: value), row: row)
    }
    emails.add(value, row: row)
  }

  private func checkCustomID(_ value: UnsafeBufferPointer<UInt8>, line: Int, row: Int) {
    if ValueRules.looksSpreadsheetMangled(value) {
      report(.spreadsheetMangledID(field: fieldNumber(.customID), line: line, value: value), row: row)
    }
    // An excluded row's custom_id duplicates nothing (and nothing duplicates it).
    if hasExcludedLines && options.overrides.excludedLines.contains(line) { return }
    rowLookups.customIDHash = customIDs.add(value, row: row)
  }

  /// Checks an enum value; returns its canonical index when accepted.
  private func checkVocabulary(
    _ value: UnsafeBufferPointer<UInt8>, column: ExportColumn, line: Int, row: Int
  ) -> Int? {
    // Matched on the stored sets directly: copying one would retain its arrays.
    let match =
      switch column {
      case .userType: userTypes.match(value)
      case .status: statuses.match(value)
      default: grades.match(value)
      }
    if case .exact(let index) = match { return index }
    let set =
      switch column {
      case .userType: userTypes
      case .status: statuses
      default: grades
      }
    switch match {
    case .exact(let index):
      return index
    case .caseInsensitive(let index):
      report(
        .caseNormalised(column, field: fieldNumber(column), line: line, value: value, canonical: set.values[index]),
        row: row)
      values[column.rawValue] =
        switch column {
        case .userType: fixed.userTypes[index]
        case .status: fixed.statuses[index]
        default: fixed.grades[index]
        }
      return index
    case .none:
      let shown = Finding.shown(value)
      let advice = vocabularyAdvice(column, shown: shown, allowed: set.values)
      report(.invalidVocabulary(column, field: fieldNumber(column), line: line, shown: shown, advice: advice), row: row)
      return nil
    }
  }

  /// The advice for an invalid vocabulary value, worked out once per
  /// column and value (up to `vocabularyAdviceLimit` values: past that, a
  /// file of all-different bad values is advised value by value).
  private func vocabularyAdvice(_ column: ExportColumn, shown: String, allowed: [String]) -> Finding.VocabularyAdvice {
    let key = VocabularyKey(column: column, value: shown)
    if let known = vocabularyAdvices[key] { return known }
    let advice = Finding.VocabularyAdvice(column, shown: shown, allowed: allowed)
    if vocabularyAdvices.count < Self.vocabularyAdviceLimit { vocabularyAdvices[key] = advice }
    return advice
  }

  private func checkOrganization(_ value: UnsafeBufferPointer<UInt8>, line: Int, row: Int) {
    // Known (every row, nearly always) before anything else.
    let found = organizationKeys?.map.find(value)
    if organizationKeys?.isPlanners == true { rowLookups.organization = found ?? -1 }
    guard found == nil, let hints = organizationHints else { return }
    let id = Finding.shown(value)
    let hint =
      organizationSuggestions[id]
      ?? {
        let computed = hints.suggestion(for: id)
        organizationSuggestions[id] = computed
        return computed
      }()
    report(.unknownOrganization(id, field: fieldNumber(.schoolExternalID), line: line, hint: hint), row: row)
  }
}

/// An invalid vocabulary value as shown, with its column (the advice's key).
struct VocabularyKey: Hashable {
  let column: ExportColumn
  let value: String
}
