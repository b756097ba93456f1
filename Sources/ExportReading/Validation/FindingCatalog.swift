import SyncModel

// Every finding sis-sync reports: its code (the case's raw value, never
// renumbered) and the text `sis-sync explain` prints. Adding a code: a case
// here, its definition in the switch below, the code that emits it, and a
// line in man/sis-sync.1 (a test checks the page lists every code).

/// A stable finding code. The raw value is the id (`E014`, `W025`, `I008`):
/// its letter is the severity. Codes never change meaning once shipped:
/// scripts and support notes refer to them. Add new codes; never renumber.
/// (An enum: a finding holds one byte for its code.)
public enum FindingCode: String, CaseIterable, Sendable {
  case emptyFile = "E001"
  case notCSVText = "E002"
  case missingHeader = "E003"
  case duplicateHeader = "E004"
  case noDataRows = "E005"
  case unknownHeader = "W006"
  case headerSpelling = "W007"
  case directoryChecksSkipped = "I008"
  case unterminatedQuote = "E010"
  case wrongFieldCount = "E011"
  case fieldTooLong = "E012"
  case strayQuote = "W013"
  case textAfterQuote = "E014"
  case windows1252 = "W015"
  case controlCharacter = "E016"
  case blankLine = "I017"
  case bidiControl = "W018"
  case missingValue = "E020"
  case invalidEmail = "E021"
  case invalidUserType = "E022"
  case invalidStatus = "E023"
  case invalidGrade = "E024"
  case caseNormalised = "W025"
  case valueTooLong = "E026"
  case lineBreakInName = "W027"
  case ignoredValue = "I028"
  case spreadsheetMangledID = "W029"
  case duplicateCustomID = "E030"
  case duplicateEmail = "E031"
  case unknownOrganization = "E040"
  case emailConflict = "E041"
  case leadingZeros = "W042"
  case nothingToDo = "I043"
  case probableBrokenExport = "W044"
  case skippedByMapping = "I045"
  case firstOfList = "I046"
  case companionFile = "E047"
  case noCompanionRow = "W048"
  case presetFits = "I049"
  case tooManyRows = "E050"
  case presentWithErrors = "W051"
  case ambiguousPerson = "W052"
  case notSpeltInASCII = "E053"
  case generatedEmail = "W054"
  case copiesDisagree = "W057"
  case otherSchoolRows = "I058"
  case ambiguousIDChange = "W059"
  case protectionExpired = "I063"
  case otherSourceAccount = "E065"
  case otherSourceUserType = "E066"
  case settingForUnknownSchool = "W075"
  case schoolWithoutGradeRange = "W076"
}

extension FindingCode {
  /// What `sis-sync explain` says of the code, and where it comes from.
  var definition: Definition {
    switch self {
    // MARK: File as a whole (E001–I009)

    case .emptyFile:
      Definition(
        name: "empty-file", origin: .file,
        title: "The export is empty",
        explanation: """
          The file holds no bytes at all, so there is not even a header row. Nothing \
          can be checked or applied.
          """,
        fix: "Export again from the SIS and check that the export finished before the file was copied.")

    case .notCSVText:
      Definition(
        name: "not-csv-text", origin: .file,
        title: "The file is not CSV text",
        explanation: """
          The file starts like a spreadsheet workbook, a PDF, UTF-16 text or other binary \
          data, not like comma-separated UTF-8 text. sis-sync reads CSV only.
          """,
        fix: "In the spreadsheet or SIS, choose \"Save as\" / \"Export\" with the type \"CSV UTF-8 (comma delimited)\"."
      )

    case .missingHeader:
      Definition(
        name: "missing-header", origin: .file,
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

    case .duplicateHeader:
      Definition(
        name: "duplicate-header", origin: .file,
        title: "A header appears twice (no longer reported: see W057)",
        explanation: """
          No longer reported. A header that appears twice is read from its first copy, \
          or from the copy a mapping chooses (from = role #2), and rows where the copies \
          disagree get W057. Scripts that looked for E004 should look for W057.
          """,
        fix: "Remove or rename one of the two columns in the export, or choose the copy with a mapping.")

    case .noDataRows:
      Definition(
        name: "no-data-rows", origin: .file,
        title: "The export has a header but no rows",
        explanation: """
          Only the header line is present. An empty export usually means the SIS export \
          failed; applying it could disable every account, so it is refused.
          """,
        fix: "Check the SIS export's filters and run it again.")

    case .unknownHeader:
      Definition(
        name: "unknown-header", origin: .file,
        title: "A column is not used",
        explanation: """
          The header is not one of the ten columns sis-sync reads (and no mapping uses \
          it), so its values are ignored. When it looks like a misspelt column, the \
          closest header is suggested.
          """,
        fix: "Remove the column from the export, rename it, or map it with --mapping.")

    case .headerSpelling:
      Definition(
        name: "header-spelling", origin: .file,
        title: "A header was recognised despite its spelling",
        explanation: """
          The header differs from the expected one only in letter case, spaces or \
          underscores (\"First Name\" for first_name), so it was used as that column.
          """,
        fix: "Rename the column to the exact header to silence this warning.")

    case .directoryChecksSkipped:
      Definition(
        name: "directory-checks-skipped", origin: .file,
        title: "Directory checks were skipped",
        explanation: """
          No directory was given, so checks that need it (does the building ID name an \
          organization? has a custom_id lost its leading zeros?) were not run. The \
          export's own rules were all checked.
          """,
        fix: "Pass --directory to run the directory checks too.")

    // MARK: Syntax of one record (E010–I017)

    case .unterminatedQuote:
      Definition(
        name: "unterminated-quote", origin: .reading,
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

    case .wrongFieldCount:
      Definition(
        name: "wrong-field-count", origin: .reading,
        title: "The row has the wrong number of fields",
        explanation: """
          The row has more or fewer comma-separated fields than the header. Its values \
          cannot be matched to columns safely, so the row is not checked further. A \
          common cause is a value with a comma (\"Teacher, Math\") that is not quoted.
          """,
        fix: "Quote values that contain commas, or remove the extra commas at the source.")

    case .fieldTooLong:
      Definition(
        name: "field-too-long", origin: .reading,
        title: "A field is far too long",
        explanation: """
          The field is longer than sis-sync reads (1 MiB by default). Usually a stray \
          quote made one field swallow many lines. Only its start was kept.
          """,
        fix: "Find the stray quote near this line, or the column that holds a file or a blob.")

    case .strayQuote:
      Definition(
        name: "stray-quote", origin: .reading,
        title: "A quote in the middle of an unquoted value",
        explanation: """
          A double quote appears inside a value that does not start with one. It was kept \
          as a literal quote character. Strict CSV readers reject this.
          """,
        fix: "Quote the whole value and double the inner quote: \"Teacher, \"\"Lead\"\" ELA\".")

    case .textAfterQuote:
      Definition(
        name: "text-after-quote", origin: .reading,
        title: "Text after the closing quote",
        explanation: """
          A quoted value is followed by more characters before the next comma (\"Smith\"Jr). \
          The value is ambiguous, so the row is not applied.
          """,
        fix: "Put the whole value inside the quotes, doubling any quote inside it.")

    case .windows1252:
      Definition(
        name: "not-utf8", origin: .reading,
        title: "A value is not UTF-8; read as Windows-1252",
        explanation: """
          The value holds bytes that are not valid UTF-8, typical of older SIS exports in \
          Windows-1252 (\"Latin-1\"). It was decoded as Windows-1252 so no character is \
          lost; check that the name displays as intended.
          """,
        fix: "Export the file as UTF-8 (\"CSV UTF-8\" in spreadsheets).")

    case .controlCharacter:
      Definition(
        name: "control-character", origin: .value,
        title: "A value holds a control character",
        explanation: """
          The value holds an invisible control character (NUL, a line break in an ID, \
          ESC, or a C1 control U+0080–U+009F, and the like), usually binary junk or a \
          damaged export. A terminal may obey such characters instead of showing them \
          (U+009B starts an escape sequence), so it is not applied; reports show it as \
          <U+009B>.
          """,
        fix: "Clean the value in the SIS; re-export.")

    case .blankLine:
      Definition(
        name: "blank-line", origin: .reading, summarizesLines: true,
        title: "A blank line was skipped",
        explanation: "The line is empty. It holds no row, so nothing was lost.",
        fix: "Nothing to do; remove blank lines to silence this note.")

    case .bidiControl:
      Definition(
        name: "bidi-control", origin: .value,
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

    case .missingValue:
      Definition(
        name: "missing-value", origin: .value,
        title: "A required value is empty",
        explanation: """
          first_name, last_name, email, custom_id, school_district_external_id, user_type \
          and status must have a value in every row.
          """,
        fix: "Fill in the value in the SIS.")

    case .invalidEmail:
      Definition(
        name: "invalid-email", origin: .value,
        title: "The email address is not valid",
        explanation: """
          The value is not a plain address like name@school.org: it lacks an @ or a \
          domain with a dot, holds spaces or characters not allowed in addresses, or has \
          two @ signs.
          """,
        fix: "Correct the address in the SIS.")

    case .invalidUserType:
      Definition(
        name: "invalid-user-type", origin: .value,
        title: "Unknown user_type",
        explanation: "user_type must be one of Teacher, Staff, Administrator, Student.",
        fix: "Correct the value, or translate your SIS's roles in a mapping file (man 5 sis-sync-mapping).")

    case .invalidStatus:
      Definition(
        name: "invalid-status", origin: .value,
        title: "Unknown status",
        explanation: "status must be Active or Disabled.",
        fix: "Correct the value, or translate your SIS's status codes in a mapping file.")

    case .invalidGrade:
      Definition(
        name: "invalid-grade", origin: .value,
        title: "Unknown grade",
        explanation: """
          For students, grade must be one of Unspecified, PreK, K, 1 to 12, Other, or \
          empty (which means Unspecified). The grade of other user types is ignored.
          """,
        fix: "Correct the value, or translate your SIS's grade codes (0 → K, 09 → 9) in a mapping file.")

    case .caseNormalised:
      Definition(
        name: "case-normalised", origin: .reading,
        title: "A value was accepted with its letter case corrected",
        explanation: """
          The value matches an allowed value only when letter case is ignored \
          (\"teacher\" for Teacher). It was accepted as the allowed spelling.
          """,
        fix: "Export the exact spelling, or translate it in a mapping file.")

    case .valueTooLong:
      Definition(
        name: "value-too-long", origin: .value,
        title: "A value is longer than the directory accepts",
        explanation: """
          Names are limited to 128 characters, emails to 254, IDs to 64 and positions to \
          255. A longer value is usually two fields run together.
          """,
        fix: "Shorten or correct the value in the SIS.")

    case .lineBreakInName:
      Definition(
        name: "line-break-in-name", origin: .value,
        title: "A name contains a line break",
        explanation: """
          The quoted value spans more than one line. It is kept as it is, but most \
          platforms show names on one line.
          """,
        fix: "Remove the line break in the SIS.")

    case .ignoredValue:
      Definition(
        name: "ignored-value", origin: .value, summarizesLines: true,
        title: "A value is ignored for this user type",
        explanation: """
          grade applies to students only and position to Teacher, Staff and Administrator \
          only; the value given for another user type is ignored, as the format says.
          """,
        fix: "Nothing to do; leave the column empty for these rows to silence this note.")

    case .spreadsheetMangledID:
      Definition(
        name: "spreadsheet-mangled-id", origin: .value,
        title: "The custom_id looks changed by a spreadsheet",
        explanation: """
          The ID looks like a number a spreadsheet reformatted: scientific notation \
          (1.23457E+11) or a trailing .0. The real ID is probably different, and a wrong \
          ID creates a duplicate account.
          """,
        fix: "Format the ID column as Text before saving, or export the CSV straight from the SIS.")

    // MARK: Across rows (E030–E031)

    case .duplicateCustomID:
      Definition(
        name: "duplicate-custom-id", origin: .value,
        title: "The same custom_id is on several rows",
        explanation: """
          custom_id identifies the account to change, so it must be unique in the export. \
          Every row that shares it is an error (sis-sync cannot know which one is right); \
          the message names all the lines involved. Rows excluded in review do not count: \
          excluding every other row that shares it clears the one left.
          """,
        fix: "Give each person their own ID in the SIS, or remove the repeated rows.")

    case .duplicateEmail:
      Definition(
        name: "duplicate-email", origin: .reading,
        title: "The same email is on several rows",
        explanation: """
          Email addresses must be unique in the export (compared without regard to letter \
          case). Every row that shares one is an error; the message names all lines.
          """,
        fix: "Correct the addresses in the SIS so each person has their own.")

    // MARK: Against the directory (E040–)

    case .unknownOrganization:
      Definition(
        name: "unknown-organization", origin: .directory,
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

    case .emailConflict:
      Definition(
        name: "email-conflict", origin: .directory,
        title: "The email belongs to another managed account",
        explanation: """
          The row's email is already used by a different account that has its own \
          custom_id. Applying the row would give two people one address, so it is not \
          applied. Usually the ID or the email is wrong on one side.
          """,
        fix: "Correct the email or the custom_id in the SIS, or in the directory for the other account.")

    case .leadingZeros:
      Definition(
        name: "leading-zeros", origin: .directory,
        title: "The custom_id matches an account once leading zeros are restored",
        explanation: """
          No account has this custom_id, but one has the same number with leading zeros \
          (004512 for 4512), which spreadsheets strip. Creating a new account would \
          duplicate that person.
          """,
        fix: "Format the ID column as Text in the spreadsheet, or accept the suggested ID in review.")

    case .nothingToDo:
      Definition(
        name: "disabled-and-absent", origin: .directory, summarizesLines: true,
        title: "Disabled rows with no account: nothing to do",
        explanation: """
          These rows have status Disabled and no account in the directory has their \
          custom_id. There is nothing to disable, and a disabled person is not created.
          """,
        fix: "Nothing to do; SIS exports often keep former students as Disabled.")

    case .probableBrokenExport:
      Definition(
        name: "probable-broken-export", origin: .directory, wholeFile: true,
        title: "Every account of a whole group would be disabled",
        explanation: """
          All active accounts of one school, one grade of a school, or one user type \
          would be disabled. That is what a broken or partial export looks like (a \
          school missing from the file). It can also be a real graduating class.
          """,
        fix: "Check that the export holds every school and user type before applying.")

    case .skippedByMapping:
      Definition(
        name: "skipped-by-mapping", origin: .mapping,
        title: "Rows left out by the mapping",
        explanation: """
          The mapping leaves out rows whose value is listed with 'skip' (a OneRoster \
          guardian, parent, aide or relative is not a Teacher, Staff, Administrator or \
          Student). They are counted and listed here, not validated and not planned; an \
          account with their custom_id counts as absent from the export.
          """,
        fix: "Nothing to do if these people should not have accounts; otherwise translate the value in the mapping.")

    case .firstOfList:
      Definition(
        name: "first-of-list", origin: .mapping,
        title: "A list of values: the first is used",
        explanation: """
          The source holds several values separated by commas (a OneRoster user under \
          several organizations, or in several grades). An account has one organization \
          and one grade, so the first value is used, as the mapping says ('list = first').
          """,
        fix: "Put the person's main school or grade first in the SIS, or export one organization per user.")

    case .companionFile:
      Definition(
        name: "companion-file", origin: .mapping, wholeFile: true,
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

    case .noCompanionRow:
      Definition(
        name: "no-companion-row", origin: .mapping,
        title: "No row in the companion file for this row",
        explanation: """
          The companion file (such as roles.csv) has no row for this row's key, so the \
          columns it feeds are empty (and a required one is then reported missing).
          """,
        fix: "Check that the SIS exported the companion file from the same run as the export.")

    case .presetFits:
      Definition(
        name: "preset-fits", origin: .file,
        title: "A built-in mapping preset fits, or nearly fits, the headers",
        explanation: """
          The export does not have the ten standard headers. Either its header row is the \
          one a built-in preset reads (OneRoster, School Data Sync, PowerSchool, Clever…), \
          or no preset fits and this names the closest one and the headers it lacks, with \
          the file's own header each may be.
          """,
        fix: """
          Pass --mapping with the preset's name, or --mapping auto (sis-sync mapping list shows \
          them); when none fits, write a mapping file starting from the closest preset \
          (sis-sync mapping show NAME).
          """)

    case .tooManyRows:
      Definition(
        name: "too-many-rows", origin: .file,
        title: "The export has more rows than sis-sync reads",
        explanation: """
          To keep memory bounded, sis-sync reads at most 2,500,000 rows (the largest \
          districts have about a million people). A longer file is probably not one \
          district's export, or several exports joined.
          """,
        fix: "Split the export (by school, for instance) and sync each part.")

    // MARK: Disable-missing and the people of unapplied rows (W051–W052)

    case .presentWithErrors:
      Definition(
        name: "present-with-errors", origin: .directory,
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

    case .otherSchoolRows:
      Definition(
        name: "other-school-rows", origin: .mapping,
        title: "Rows of staff at another of their schools, left out",
        explanation: """
          The export lists a person once per school (PowerSchool and School Data Sync v1 \
          do so for staff), and the mapping's 'home' rule keeps one row per person: the \
          row at their home school (home = HEADER) or their first row (home = first). \
          The other rows are counted and listed here, not validated and not planned. A \
          person with no row at their home school keeps every row (and E030 names them).
          """,
        fix: "Nothing to do; to keep another row, change the person's home school in the SIS.")

    case .copiesDisagree:
      Definition(
        name: "copies-disagree", origin: .mapping,
        title: "A header appears twice and its copies differ on this row",
        explanation: """
          The export has two (or more) columns with the same header, and the mapping does \
          not say which one to read, so the first is read. On this row another copy holds \
          a different value: the value read may not be the one the SIS meant. (Copies that \
          are empty, or the same, are not reported.)
          """,
        fix: """
          Remove the extra column from the export, or choose the copy in a mapping: \
          from = role #2 reads the second column named role (man 5 sis-sync-mapping).
          """)

    case .ambiguousPerson:
      Definition(
        name: "ambiguous-person", origin: .directory,
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

    // MARK: Templates and generated values (E053–W054)

    case .notSpeltInASCII:
      Definition(
        name: "not-spelt-in-ascii", origin: .mapping,
        title: "A template cannot spell this name in ASCII",
        explanation: """
          The mapping builds this column with a template whose ':ascii' modifier spells \
          Latin letters without accents (José → Jose, Łukasz → Lukasz, Straße → Strasse). \
          This row's value holds letters of another script (Cyrillic, Greek, Chinese, \
          Arabic…), which have no one agreed spelling in ASCII, so no value is guessed: \
          the column stays empty and the row is not applied.
          """,
        fix: """
          Give the row its value in the SIS (an email, for instance), or add a Latin \
          spelling of the name to the export and use that header in the template.
          """)

    case .ambiguousIDChange:
      Definition(
        name: "ambiguous-id-change", origin: .directory,
        title: "A new custom_id could be the new ID of several accounts, or an account's of several rows",
        explanation: """
          A row whose custom_id no account has, and whose person is a managed account \
          absent from the export (same email, else same first and last name, building and \
          user type), is planned as an ID change: that account re-keyed to the new \
          custom_id. This row matches several such accounts (two people of the same name, \
          school and type), or its account is matched by other rows too. Nothing is \
          guessed: no account is re-keyed, and the row is planned as it would be without \
          ID changes (a create, or an email conflict); with --disable-missing the absent \
          accounts are disabled as any absent account is.
          """,
        fix: """
          Give the people their own emails in the SIS, or exclude in review the rows that \
          are not this person; to re-key an account by hand, give the row the account's \
          old custom_id for one run.
          """)

    // MARK: Protections (I063)

    case .protectionExpired:
      Definition(
        name: "protection-expired", origin: .directory, wholeFile: true,
        title: "A protection has expired",
        explanation: """
          An account or organization was protected ('sis-sync protect … --until DATE') \
          and that date has passed: the protection no longer holds, and the record is \
          planned like any other (changed, disabled when missing). The protection stays \
          listed, as expired, in 'sis-sync protect list' until it is removed.
          """,
        fix: """
          Protect the record again with a later --until if it must still be left alone, \
          or remove the protection with 'sis-sync unprotect'.
          """)

    // MARK: Several sources (E065–E066)

    case .otherSourceAccount:
      Definition(
        name: "other-source-account", origin: .directory,
        title: "The row names an account another source manages",
        explanation: """
          The directory declares several sources (setting 'sources': the SIS owns \
          students and teachers, the HR system staff, say) and this run reads the export \
          of one of them (--source NAME). The row's custom_id names an account that \
          another source manages: declared as that source's one by one (id:CUSTOM_ID), \
          recorded as managed by it (its runs created or changed it), or of a user type \
          it owns. A source never takes over another's account: the row is not applied \
          and the account is not changed.
          """,
        fix: """
          Leave the person to the source that manages them (drop the row from this \
          export, or exclude it in review); if this source should manage the account \
          now, declare it so: 'sis-sync settings set sources \
          "sis=Student,Teacher,id:CUSTOM_ID;hr=Staff"'.
          """)

    case .otherSourceUserType:
      Definition(
        name: "other-source-user-type", origin: .directory,
        title: "The row would create an account another source owns",
        explanation: """
          The row names no account, and its user type (or its custom_id, declared one by \
          one) belongs to another source than this run's (--source NAME): that source \
          creates such accounts, so this one does not. The row is not applied.
          """,
        fix: """
          Let the source that owns the user type create the account, or change what \
          each source owns: 'sis-sync settings set sources …'.
          """)

    // MARK: The rollover and school settings (W075–W076)

    case .settingForUnknownSchool:
      Definition(
        name: "setting-for-unknown-school", origin: .directory, wholeFile: true,
        title: "A school's setting names a school the directory does not have",
        explanation: """
          A setting made for one school (grades.SCHOOL, a school's grade range; \
          threshold.ACTION.SCHOOL, its own threshold) or a grade range read with \
          --school-grades names an external ID that no organization of the directory \
          has. It is used for nothing: no change belongs to that school. A typing \
          mistake, or a school whose building ID changed, would leave its real school \
          without the range or the limit meant for it.
          """,
        fix: """
          Correct the key ('sis-sync settings unset KEY', then set it under the \
          school's external ID as 'sis-sync organizations' lists it).
          """)

    case .schoolWithoutGradeRange:
      Definition(
        name: "school-without-grade-range", origin: .directory, wholeFile: true,
        title: "The rollover profile knows no grade range for a school",
        explanation: """
          The rollover profile applies to this run, and a school the export covers has \
          no grade range (setting grades.SCHOOL, or --school-grades FILE with SDS \
          School.csv's Grade Low and Grade High). Students moving up one grade there are \
          expected, but a student leaving the school's top grade for the school of the \
          next level is not: that move is counted by the thresholds like any change \
          the profile does not explain.
          """,
        fix: """
          Give each school its range: 'sis-sync settings set grades.SCHOOL K-5', or \
          plan with --school-grades School.csv.
          """)

    case .generatedEmail:
      Definition(
        name: "generated-email", origin: .directory,
        title: "An email proposed by the mapping's generate rule needs acceptance",
        explanation: """
          The row has no email, and the mapping's [email] 'generate' rule proposed one \
          (with a counter before the @ when the email is taken by another account or \
          another row: ann.lee@…, ann.lee2@…). A proposed email is applied only when \
          accepted: in review (per row or all at once), or with 'apply --yes \
          --accept-generated'. Otherwise the row is held back. The directory records \
          that the email was generated; it is never regenerated, and an empty email in a \
          later export does not replace it.
          """,
        fix: """
          Accept the proposed email (review, or --accept-generated), or give the row an \
          email in the SIS.
          """)
    }
  }
}
