import SyncModel

// Every finding sis-sync reports, with the text `sis-sync explain` prints.
// The man page's list of codes is checked against this catalog by a test.

extension FindingCode {
  // MARK: File as a whole (E001–I009)

  public static let emptyFile = FindingCode(
    id: "E001", name: "empty-file", severity: .error, isFileLevel: true,
    title: "The export is empty",
    explanation: """
      The file holds no bytes at all, so there is not even a header row. Nothing \
      can be checked or applied.
      """,
    fix: "Export again from the SIS and check that the export finished before the file was copied.")

  public static let notCSVText = FindingCode(
    id: "E002", name: "not-csv-text", severity: .error, isFileLevel: true,
    title: "The file is not CSV text",
    explanation: """
      The file starts like a spreadsheet workbook, a PDF, UTF-16 text or other binary \
      data, not like comma-separated UTF-8 text. sis-sync reads CSV only.
      """,
    fix: "In the spreadsheet or SIS, choose \"Save as\" / \"Export\" with the type \"CSV UTF-8 (comma delimited)\".")

  public static let missingHeader = FindingCode(
    id: "E003", name: "missing-header", severity: .error, isFileLevel: true,
    title: "A required header is missing",
    explanation: """
      All ten headers must be present in the first line: first_name, middle_name, \
      last_name, email, custom_id, school_district_external_id, user_type, position, \
      grade, status (optional values may be empty, but the column must exist). The \
      message names the missing header, the headers that were seen, and the closest \
      one when it looks like a typo.
      """,
    fix: """
      Rename the column in the SIS export, or describe your SIS's headers in a mapping \
      file (man 5 sis-sync-mapping) and pass it with --mapping.
      """)

  public static let duplicateHeader = FindingCode(
    id: "E004", name: "duplicate-header", severity: .error, isFileLevel: true,
    title: "A header appears twice",
    explanation: """
      Two columns have the same header, so it is unknown which one holds the value. \
      Every row would be ambiguous, so the file is not used.
      """,
    fix: "Remove or rename one of the two columns in the export (or map one explicitly with --mapping).")

  public static let noDataRows = FindingCode(
    id: "E005", name: "no-data-rows", severity: .error, isFileLevel: true,
    title: "The export has a header but no rows",
    explanation: """
      Only the header line is present. An empty export usually means the SIS export \
      failed; applying it could disable every account, so it is refused.
      """,
    fix: "Check the SIS export's filters and run it again.")

  public static let unknownHeader = FindingCode(
    id: "W006", name: "unknown-header", severity: .warning, isFileLevel: true,
    title: "A column is not used",
    explanation: """
      The header is not one of the ten columns sis-sync reads (and no mapping uses \
      it), so its values are ignored. When it looks like a misspelt column, the \
      closest header is suggested.
      """,
    fix: "Remove the column from the export, rename it, or map it with --mapping.")

  public static let headerSpelling = FindingCode(
    id: "W007", name: "header-spelling", severity: .warning, isFileLevel: true,
    title: "A header was recognised despite its spelling",
    explanation: """
      The header differs from the expected one only in letter case, spaces or \
      underscores (\"First Name\" for first_name), so it was used as that column.
      """,
    fix: "Rename the column to the exact header to silence this warning.")

  public static let directoryChecksSkipped = FindingCode(
    id: "I008", name: "directory-checks-skipped", severity: .info, isFileLevel: true,
    title: "Directory checks were skipped",
    explanation: """
      No directory was given, so checks that need it (does the building ID name an \
      organization? has a custom_id lost its leading zeros?) were not run. The \
      export's own rules were all checked.
      """,
    fix: "Pass --directory to run the directory checks too.")

  // MARK: Syntax of one record (E010–I017)

  public static let unterminatedQuote = FindingCode(
    id: "E010", name: "unterminated-quote", severity: .error, isFileLevel: false,
    title: "A quoted field is never closed",
    explanation: """
      A field starts with a double quote on this line but no closing quote follows, so \
      everything up to the end of the file was read as that one field. The rows after \
      it could not be read.
      """,
    fix: """
      Look at this line in a text editor: a value probably contains a single \" that \
      should have been doubled (\"\"), or the file was cut off.
      """)

  public static let wrongFieldCount = FindingCode(
    id: "E011", name: "wrong-field-count", severity: .error, isFileLevel: false,
    title: "The row has the wrong number of fields",
    explanation: """
      The row has more or fewer comma-separated fields than the header. Its values \
      cannot be matched to columns safely, so the row is not checked further. A \
      common cause is a value with a comma (\"Teacher, Math\") that is not quoted.
      """,
    fix: "Quote values that contain commas, or remove the extra commas at the source.")

  public static let fieldTooLong = FindingCode(
    id: "E012", name: "field-too-long", severity: .error, isFileLevel: false,
    title: "A field is far too long",
    explanation: """
      The field is longer than sis-sync reads (1 MiB by default). Usually a stray \
      quote made one field swallow many lines. Only its start was kept.
      """,
    fix: "Find the stray quote near this line, or the column that holds a file or a blob.")

  public static let strayQuote = FindingCode(
    id: "W013", name: "stray-quote", severity: .warning, isFileLevel: false,
    title: "A quote in the middle of an unquoted value",
    explanation: """
      A double quote appears inside a value that does not start with one. It was kept \
      as a literal quote character. Strict CSV readers reject this.
      """,
    fix: "Quote the whole value and double the inner quote: \"Teacher, \"\"Lead\"\" ELA\".")

  public static let textAfterQuote = FindingCode(
    id: "E014", name: "text-after-quote", severity: .error, isFileLevel: false,
    title: "Text after the closing quote",
    explanation: """
      A quoted value is followed by more characters before the next comma (\"Smith\"Jr). \
      The value is ambiguous, so the row is not applied.
      """,
    fix: "Put the whole value inside the quotes, doubling any quote inside it.")

  public static let windows1252 = FindingCode(
    id: "W015", name: "not-utf8", severity: .warning, isFileLevel: false,
    title: "A value is not UTF-8; read as Windows-1252",
    explanation: """
      The value holds bytes that are not valid UTF-8, typical of older SIS exports in \
      Windows-1252 (\"Latin-1\"). It was decoded as Windows-1252 so no character is \
      lost; check that the name displays as intended.
      """,
    fix: "Export the file as UTF-8 (\"CSV UTF-8\" in spreadsheets).")

  public static let controlCharacter = FindingCode(
    id: "E016", name: "control-character", severity: .error, isFileLevel: false,
    title: "A value holds a control character",
    explanation: """
      The value holds an invisible control character (NUL, a line break in an ID, \
      ESC, or a C1 control U+0080–U+009F, and the like), usually binary junk or a \
      damaged export. A terminal may obey such characters instead of showing them \
      (U+009B starts an escape sequence), so it is not applied; reports show it as \
      <U+009B>.
      """,
    fix: "Clean the value in the SIS; re-export.")

  public static let blankLine = FindingCode(
    id: "I017", name: "blank-line", severity: .info, isFileLevel: false,
    title: "A blank line was skipped",
    explanation: "The line is empty. It holds no row, so nothing was lost.",
    fix: "Nothing to do; remove blank lines to silence this note.")

  public static let bidiControl = FindingCode(
    id: "W018", name: "bidi-control", severity: .warning, isFileLevel: false,
    title: "A value holds a bidi override",
    explanation: """
      The value holds a bidirectional embedding, override or isolate (U+202A–U+202E, \
      U+2066–U+2069). They change the order in which the text is displayed, so a name \
      or an email can look like something other than what is stored (after U+202E, \
      text shows right to left). Names do not need them; reports show them as \
      <U+202E>. The direction marks U+200E and U+200F, which Hebrew and Arabic names \
      carry, are fine and give no finding.
      """,
    fix: "Remove the character in the SIS (often pasted in from another program); re-export.")

  // MARK: Values (E020–W029)

  public static let missingValue = FindingCode(
    id: "E020", name: "missing-value", severity: .error, isFileLevel: false,
    title: "A required value is empty",
    explanation: """
      first_name, last_name, email, custom_id, school_district_external_id, user_type \
      and status must have a value in every row.
      """,
    fix: "Fill in the value in the SIS.")

  public static let invalidEmail = FindingCode(
    id: "E021", name: "invalid-email", severity: .error, isFileLevel: false,
    title: "The email address is not valid",
    explanation: """
      The value is not a plain address like name@school.org: it lacks an @ or a \
      domain with a dot, holds spaces or characters not allowed in addresses, or has \
      two @ signs.
      """,
    fix: "Correct the address in the SIS.")

  public static let invalidUserType = FindingCode(
    id: "E022", name: "invalid-user-type", severity: .error, isFileLevel: false,
    title: "Unknown user_type",
    explanation: "user_type must be one of Teacher, Staff, Administrator, Student.",
    fix: "Correct the value, or translate your SIS's roles in a mapping file (man 5 sis-sync-mapping).")

  public static let invalidStatus = FindingCode(
    id: "E023", name: "invalid-status", severity: .error, isFileLevel: false,
    title: "Unknown status",
    explanation: "status must be Active or Disabled.",
    fix: "Correct the value, or translate your SIS's status codes in a mapping file.")

  public static let invalidGrade = FindingCode(
    id: "E024", name: "invalid-grade", severity: .error, isFileLevel: false,
    title: "Unknown grade",
    explanation: """
      For students, grade must be one of Unspecified, PreK, K, 1 to 12, Other, or \
      empty (which means Unspecified). The grade of other user types is ignored.
      """,
    fix: "Correct the value, or translate your SIS's grade codes (0 → K, 09 → 9) in a mapping file.")

  public static let caseNormalised = FindingCode(
    id: "W025", name: "case-normalised", severity: .warning, isFileLevel: false,
    title: "A value was accepted with its letter case corrected",
    explanation: """
      The value matches an allowed value only when letter case is ignored \
      (\"teacher\" for Teacher). It was accepted as the allowed spelling.
      """,
    fix: "Export the exact spelling, or translate it in a mapping file.")

  public static let valueTooLong = FindingCode(
    id: "E026", name: "value-too-long", severity: .error, isFileLevel: false,
    title: "A value is longer than the directory accepts",
    explanation: """
      Names are limited to 128 characters, emails to 254, IDs to 64 and positions to \
      255. A longer value is usually two fields run together.
      """,
    fix: "Shorten or correct the value in the SIS.")

  public static let lineBreakInName = FindingCode(
    id: "W027", name: "line-break-in-name", severity: .warning, isFileLevel: false,
    title: "A name contains a line break",
    explanation: """
      The quoted value spans more than one line. It is kept as it is, but most \
      platforms show names on one line.
      """,
    fix: "Remove the line break in the SIS.")

  public static let ignoredValue = FindingCode(
    id: "I028", name: "ignored-value", severity: .info, isFileLevel: false,
    title: "A value is ignored for this user type",
    explanation: """
      grade applies to students only and position to Teacher, Staff and Administrator \
      only; the value given for another user type is ignored, as the format says.
      """,
    fix: "Nothing to do; leave the column empty for these rows to silence this note.")

  public static let spreadsheetMangledID = FindingCode(
    id: "W029", name: "spreadsheet-mangled-id", severity: .warning, isFileLevel: false,
    title: "The custom_id looks changed by a spreadsheet",
    explanation: """
      The ID looks like a number a spreadsheet reformatted: scientific notation \
      (1.23457E+11) or a trailing .0. The real ID is probably different, and a wrong \
      ID creates a duplicate account.
      """,
    fix: "Format the ID column as Text before saving, or export the CSV straight from the SIS.")

  // MARK: Across rows (E030–E031)

  public static let duplicateCustomID = FindingCode(
    id: "E030", name: "duplicate-custom-id", severity: .error, isFileLevel: false,
    title: "The same custom_id is on several rows",
    explanation: """
      custom_id identifies the account to change, so it must be unique in the export. \
      Every row that shares it is an error (sis-sync cannot know which one is right); \
      the message names all the lines involved.
      """,
    fix: "Give each person their own ID in the SIS, or remove the repeated rows.")

  public static let duplicateEmail = FindingCode(
    id: "E031", name: "duplicate-email", severity: .error, isFileLevel: false,
    title: "The same email is on several rows",
    explanation: """
      Email addresses must be unique in the export (compared without regard to letter \
      case). Every row that shares one is an error; the message names all lines.
      """,
    fix: "Correct the addresses in the SIS so each person has their own.")

  // MARK: Against the directory (E040–)

  public static let unknownOrganization = FindingCode(
    id: "E040", name: "unknown-organization", severity: .error, isFileLevel: false,
    title: "The building ID names no organization",
    explanation: """
      school_district_external_id must equal the external ID of a school or the \
      district in the directory. When a known ID is one edit away, or equal once \
      leading zeros are restored, it is suggested.
      """,
    fix: """
      Correct the building ID in the SIS, set the school's external ID in the \
      directory, or remap the ID in review.
      """)

  // MARK: Planning against the directory (E041–W044)

  public static let emailConflict = FindingCode(
    id: "E041", name: "email-conflict", severity: .error, isFileLevel: false,
    title: "The email belongs to another managed account",
    explanation: """
      The row's email is already used by a different account that has its own \
      custom_id. Applying the row would give two people one address, so it is not \
      applied. Usually the ID or the email is wrong on one side.
      """,
    fix: "Correct the email or the custom_id in the SIS, or in the directory for the other account.")

  public static let leadingZeros = FindingCode(
    id: "W042", name: "leading-zeros", severity: .warning, isFileLevel: false,
    title: "The custom_id matches an account once leading zeros are restored",
    explanation: """
      No account has this custom_id, but one has the same number with leading zeros \
      (004512 for 4512), which spreadsheets strip. Creating a new account would \
      duplicate that person.
      """,
    fix: "Format the ID column as Text in the spreadsheet, or accept the suggested ID in review.")

  public static let nothingToDo = FindingCode(
    id: "I043", name: "disabled-and-absent", severity: .info, isFileLevel: false,
    title: "Disabled rows with no account: nothing to do",
    explanation: """
      These rows have status Disabled and no account in the directory has their \
      custom_id. There is nothing to disable, and a disabled person is not created.
      """,
    fix: "Nothing to do; SIS exports often keep former students as Disabled.")

  public static let probableBrokenExport = FindingCode(
    id: "W044", name: "probable-broken-export", severity: .warning, isFileLevel: true,
    title: "Every account of a whole group would be disabled",
    explanation: """
      All active accounts of one school, one grade of a school, or one user type \
      would be disabled. That is what a broken or partial export looks like (a \
      school missing from the file). It can also be a real graduating class.
      """,
    fix: "Check that the export holds every school and user type before applying.")

  public static let skippedByMapping = FindingCode(
    id: "I045", name: "skipped-by-mapping", severity: .info, isFileLevel: false,
    title: "Rows left out by the mapping",
    explanation: """
      The mapping leaves out rows whose value is listed with 'skip' (a OneRoster \
      guardian, parent, aide or relative is not a Teacher, Staff, Administrator or \
      Student). They are counted and listed here, not validated and not planned; an \
      account with their custom_id counts as absent from the export.
      """,
    fix: "Nothing to do if these people should not have accounts; otherwise translate the value in the mapping.")

  public static let firstOfList = FindingCode(
    id: "I046", name: "first-of-list", severity: .info, isFileLevel: false,
    title: "A list of values: the first is used",
    explanation: """
      The source holds several values separated by commas (a OneRoster user under \
      several organizations, or in several grades). An account has one organization \
      and one grade, so the first value is used, as the mapping says ('list = first').
      """,
    fix: "Put the person's main school or grade first in the SIS, or export one organization per user.")

  public static let companionFile = FindingCode(
    id: "E047", name: "companion-file", severity: .error, isFileLevel: true,
    title: "A companion file cannot be used",
    explanation: """
      The mapping joins a second file to the export (OneRoster 1.2 and School Data \
      Sync keep roles in roles.csv beside users.csv). It cannot be read, lacks a \
      header the mapping needs, is too large, is not a regular file, or lies outside \
      the export's folder (a mapping may not read files elsewhere), so no row can be \
      mapped.
      """,
    fix: """
      Put the companion file beside the export (same folder), with its header row, and \
      try again; for a file kept elsewhere, pass --companion NAME=PATH.
      """)

  public static let noCompanionRow = FindingCode(
    id: "W048", name: "no-companion-row", severity: .warning, isFileLevel: false,
    title: "No row in the companion file for this row",
    explanation: """
      The companion file (such as roles.csv) has no row for this row's key, so the \
      columns it feeds are empty (and a required one is then reported missing).
      """,
    fix: "Check that the SIS exported the companion file from the same run as the export.")

  public static let presetFits = FindingCode(
    id: "I049", name: "preset-fits", severity: .info, isFileLevel: true,
    title: "The headers fit a built-in mapping preset",
    explanation: """
      The export does not have the ten standard headers, but its header row is the \
      one a built-in preset reads (OneRoster, School Data Sync, PowerSchool, Clever…).
      """,
    fix: "Pass --mapping with the preset's name, or --mapping auto (sis-sync mapping list shows them).")

  public static let tooManyRows = FindingCode(
    id: "E050", name: "too-many-rows", severity: .error, isFileLevel: true,
    title: "The export has more rows than sis-sync reads",
    explanation: """
      To keep memory bounded, sis-sync reads at most 2,500,000 rows (the largest \
      districts have about a million people). A longer file is probably not one \
      district's export, or several exports joined.
      """,
    fix: "Split the export (by school, for instance) and sync each part.")

  // MARK: Disable-missing and the people of unapplied rows (W051–W052)

  public static let presentWithErrors = FindingCode(
    id: "W051", name: "present-with-errors", severity: .warning, isFileLevel: false,
    title: "An account is kept: its person is on a row that is not applied",
    explanation: """
      With --disable-missing, an account whose custom_id no row names would be \
      disabled as absent from the export. But this row is that person: its \
      custom_id is empty or wrong, and its email (or else its first and last name \
      with building and user type) matches that account and no other, and no other \
      row matches the account. The row has errors (or was excluded in review), so it \
      is not applied, yet the person is still in the district: the account is not \
      disabled.
      """,
    fix: """
      Correct the row in the SIS (usually its custom_id) so that it names the account; \
      in review, edit the row's custom_id.
      """)

  public static let ambiguousPerson = FindingCode(
    id: "W052", name: "ambiguous-person", severity: .warning, isFileLevel: false,
    title: "A row that is not applied could be several accounts, or an account several rows",
    explanation: """
      With --disable-missing, rows that are not applied (errors, or excluded in \
      review) are matched to the accounts that would be disabled: by custom_id, else \
      by email, else by first and last name with building and user type. This row \
      matches several such accounts (two people of the same name, school and type), \
      or its account is matched by other rows too. Nothing is guessed: none of those \
      accounts is disabled in this plan, and none is linked to a row.
      """,
    fix: "Correct the custom_id (or the email) of the row so that it names its own account.")
}

/// Every code, in id order.
public enum FindingCatalog {
  public static let all: [FindingCode] = [
    .emptyFile, .notCSVText, .missingHeader, .duplicateHeader, .noDataRows,
    .unknownHeader, .headerSpelling, .directoryChecksSkipped,
    .unterminatedQuote, .wrongFieldCount, .fieldTooLong, .strayQuote, .textAfterQuote,
    .windows1252, .controlCharacter, .blankLine, .bidiControl,
    .missingValue, .invalidEmail, .invalidUserType, .invalidStatus, .invalidGrade,
    .caseNormalised, .valueTooLong, .lineBreakInName, .ignoredValue, .spreadsheetMangledID,
    .duplicateCustomID, .duplicateEmail,
    .unknownOrganization, .emailConflict, .leadingZeros, .nothingToDo, .probableBrokenExport,
    .skippedByMapping, .firstOfList, .companionFile, .noCompanionRow, .presetFits, .tooManyRows,
    .presentWithErrors, .ambiguousPerson,
  ]
}
