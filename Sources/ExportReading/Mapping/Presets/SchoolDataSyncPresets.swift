import SyncModel

extension MappingPreset {
  /// What SDS v1 Student.csv and Teacher.csv share.
  static let sdsV1Person = """
    [first_name]
    from = First Name

    [middle_name]
    from = Middle Name

    [last_name]
    from = Last Name

    [email]
    from = Username

    [custom_id]
    from = SIS ID

    [school_district_external_id]
    from = School SIS ID
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
      default = Active
      value Inactive = Disabled

      """)

  static let sdsV1Teachers = MappingPreset(
    name: "sds-v1-teachers", title: "Microsoft School Data Sync v1 Teacher.csv",
    assumptions: """
      the SDS v1 teacher file; custom_id is SIS ID, the school is School SIS ID, \
      email is Username, position is Title; every row is a Teacher; Status Inactive \
      is Disabled.
      """,
    text: """
      # Microsoft School Data Sync v1 Teacher.csv.
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      \(sdsV1Person)

      [user_type]
      constant = Teacher

      [position]
      from = Title

      [grade]
      constant = ""

      [status]
      from = Status
      default = Active
      value Inactive = Disabled

      """)

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

      [first_name]
      from = givenName

      [middle_name]
      constant = ""

      [last_name]
      from = familyName

      [email]
      from = username

      [custom_id]
      from = sourcedId

      [school_district_external_id]
      from = @roles.orgSourcedId

      [user_type]
      from = @roles.role
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

      [position]
      constant = ""

      [grade]
      from = @roles.grade
      \(cedsGrades)

      [status]
      constant = Active

      """)
}
