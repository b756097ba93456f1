import SyncModel

extension MappingPreset {
  /// What SDS v1 Student.csv and Teacher.csv share. The UK variant names
  /// the IDs `ID` and `School DfE Number`.
  static let sdsV1Person = """
    [first_name]
    from = First Name

    [middle_name]
    from = Middle Name
    optional = yes

    [last_name]
    from = Last Name

    [email]
    from = Username

    [custom_id]
    from = SIS ID | ID
    """

  static let sdsV1Students = MappingPreset(
    name: "sds-v1-students", title: "Microsoft School Data Sync v1 Student.csv",
    assumptions: """
      the SDS v1 student file with its spaced headers; custom_id is SIS ID, the school \
      is School SIS ID, email is Username (SDS usernames are sign-in names such as \
      user@district.org); every row is a Student; Status Inactive is Disabled; grades \
      as numbers, K, PreK or CEDS codes.
      """,
    text: """
      # Microsoft School Data Sync v1 Student.csv.
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      \(sdsV1Person)

      [school_district_external_id]
      from = School SIS ID | School DfE Number

      [user_type]
      constant = Student

      [position]
      constant = ""

      [grade]
      from = Grade
      value Pre-K = PreK
      value Kindergarten = K
      \(cedsGrades)

      [status]
      from = Status
      optional = yes
      default = Active
      value Inactive = Disabled

      """)

  static let sdsV1Teachers = MappingPreset(
    name: "sds-v1-teachers", title: "Microsoft School Data Sync v1 Teacher.csv",
    assumptions: """
      the SDS v1 teacher file; custom_id is SIS ID, the school is School SIS ID, \
      email is Username, position is Title; every row is a Teacher; Status Inactive \
      is Disabled; a teacher listed at several schools keeps their first row (the \
      others are left out, I058).
      """,
    text: """
      # Microsoft School Data Sync v1 Teacher.csv.
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      \(sdsV1Person)

      [school_district_external_id]
      from = School SIS ID | School DfE Number
      home = first

      [user_type]
      constant = Teacher

      [position]
      from = Title

      [grade]
      constant = ""

      [status]
      from = Status
      optional = yes
      default = Active
      value Inactive = Disabled

      """)

  static let sdsV2 = MappingPreset(
    name: "sds-v2", title: "Microsoft School Data Sync v2 users.csv (role and school inside)",
    assumptions: """
      the SDS v2 users.csv that carries each user's role, school and grade itself (no \
      roles.csv): custom_id is sourcedId, the school is the first of orgSourcedIds, \
      email is username (the sign-in name); roles student, teacher and the \
      administrator roles are kept, others skipped as for sds-v2.1; every row is \
      Active (SDS removes users by leaving them out: use --disable-missing).
      """,
    text: """
      # Microsoft School Data Sync v2 users.csv with role, orgSourcedIds and grade.
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      \(sdsV2Person)

      [school_district_external_id]
      from = orgSourcedIds
      list = first

      \(sdsUserType(from: "role"))

      [position]
      constant = ""

      [grade]
      from = grade
      optional = yes
      \(cedsGrades)

      [status]
      constant = Active

      """)

  /// What SDS v2 and v2.1 users.csv share: names, the sign-in name as
  /// email, sourcedId (v2.1 has no middleName; the column is then empty).
  static let sdsV2Person = """
    [first_name]
    from = givenName

    [middle_name]
    from = middleName
    optional = yes

    [last_name]
    from = familyName

    [email]
    from = username

    [custom_id]
    from = sourcedId
    """

  /// SDS roles to user types (v2 and v2.1 name them alike).
  static func sdsUserType(from source: String) -> String {
    """
    [user_type]
    from = \(source)
    value student = Student
    value teacher = Teacher
    value administrator = Administrator
    value principal = Administrator
    value districtAdministrator = Administrator
    value siteAdministrator = Administrator
    value counselor = Staff
    value staff = Staff
    value officeStaff = Staff
    value nurse = Staff
    value specialServices = Staff
    \(skippedRoles)
    """
  }

  static let sdsV21 = MappingPreset(
    name: "sds-v2.1", title: "Microsoft School Data Sync v2.1 users.csv with roles.csv",
    assumptions: """
      users.csv with its companion roles.csv beside it; a user's primary role row \
      (isPrimary true, else the first) gives the role, the school (orgSourcedId) and \
      the grade; custom_id is sourcedId; email is username (the sign-in name); users.csv \
      has no status, so every row is Active (SDS removes users by leaving them out: use \
      --disable-missing); roles other than student, teacher and the administrator \
      roles are skipped.
      """,
    text: """
      # Microsoft School Data Sync v2.1 users.csv, joined with roles.csv (same folder).
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      [file roles]
      path = roles.csv
      key = userSourcedId
      matches = sourcedId
      prefer isPrimary = true

      \(sdsV2Person)

      [school_district_external_id]
      from = @roles.orgSourcedId

      \(sdsUserType(from: "@roles.role"))

      [position]
      constant = ""

      [grade]
      from = @roles.grade
      \(cedsGrades)

      [status]
      constant = Active

      """)
}
