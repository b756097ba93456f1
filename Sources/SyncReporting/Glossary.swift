/// The words findings and reports use that a customer may not know,
/// each in a sentence (`sis-sync explain glossary`).
public enum Glossary {
  public static let entries: [(term: String, meaning: String)] = [
    (
      "directory",
      "The platform's list of accounts and schools that sis-sync brings the SIS export into (a database file, "
        + "not the SIS itself)."
    ),
    (
      "custom_id",
      "The person's student or employee ID from the SIS. It tells sis-sync which account is whose, so it must be "
        + "unique and must not change."
    ),
    (
      "building ID",
      "The SIS's ID for a school (school_district_external_id). It must match a school's external ID in the "
        + "directory."
    ),
    (
      "managed account",
      "An account with a custom_id: sis-sync keeps it up to date. An unmanaged account has none and is never "
        + "changed, unless a reviewer gives it an ID."
    ),
    ("user type", "Teacher, Staff, Administrator or Student."),
    (
      "plan",
      "The list of changes an export would make to the directory (create, update, disable, reactivate, give an "
        + "ID), made and reviewed before anything is written."
    ),
    (
      "run",
      "One applied plan (or revert, or import), recorded with every change so it can be shown and undone: "
        + "sis-sync history, show, revert."
    ),
    (
      "line",
      "The line of the export file where a person's row starts; the header is line 1."
    ),
  ]
}
