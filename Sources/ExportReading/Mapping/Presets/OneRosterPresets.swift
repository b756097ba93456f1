import SyncModel

extension MappingPreset {
  /// CEDS grade levels (OneRoster `grades`, School Data Sync) to sis-sync's.
  /// TK (transitional kindergarten) is left out on purpose: districts count
  /// it as PreK or as K, so the vocabulary mapper asks.
  static let cedsGrades = """
    value IT = PreK
    value PR = PreK
    value PK = PreK
    value KG = K
    value 01 = 1
    value 02 = 2
    value 03 = 3
    value 04 = 4
    value 05 = 5
    value 06 = 6
    value 07 = 7
    value 08 = 8
    value 09 = 9
    value 13 = Other
    value PS = Other
    value UG = Unspecified
    value Other = Other
    """

  /// What OneRoster 1.1 and 1.2 users.csv share: names, email, sourcedId.
  /// middleName is optional in OneRoster, and often left out.
  static let oneRosterPerson = """
    [first_name]
    from = givenName

    [middle_name]
    from = middleName
    optional = yes

    [last_name]
    from = familyName

    [email]
    from = email

    [custom_id]
    from = sourcedId
    """

  /// Roles that are not Teacher, Staff, Administrator or Student (OneRoster
  /// and School Data Sync name them alike).
  static let skippedRoles = """
    skip aide
    skip guardian
    skip parent
    skip relative
    skip proctor
    """

  static let oneRosterGradeAndStatus = """
    [position]
    constant = ""

    [grade]
    from = grades | grade
    optional = yes
    list = first
    \(cedsGrades)

    [status]
    from = enabledUser
    optional = yes
    default = Active
    value true = Active
    value false = Disabled
    value 1 = Active
    value 0 = Disabled
    when status = tobedeleted then Disabled
    """

  static let oneRoster11 = MappingPreset(
    name: "oneroster-1.1", title: "OneRoster 1.1 users.csv",
    assumptions: """
      custom_id is the user's sourcedId; the school is the first of orgSourcedIds (the \
      directory's organizations carry the OneRoster org sourcedIds as external IDs), \
      read from orgs, orgId or orgSourcedId when a vendor names it so; roles student, \
      teacher and administrator are kept, aide, guardian, parent, relative and proctor \
      are skipped (I045); grades are CEDS codes (the first of a list; zero-padded, UG \
      Unspecified), TK left for the district; Disabled when enabledUser is false (or 0) \
      or status is tobedeleted; middleName, grades and enabledUser may be absent.
      """,
    text: """
      # OneRoster 1.1 users.csv (1EdTech CSV binding).
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      \(oneRosterPerson)

      [school_district_external_id]
      from = orgSourcedIds | orgs | orgId | orgSourcedId
      list = first

      [user_type]
      from = role
      value student = Student
      value teacher = Teacher
      value administrator = Administrator
      \(skippedRoles)

      \(oneRosterGradeAndStatus)

      """)

  static let oneRoster12 = MappingPreset(
    name: "oneroster-1.2", title: "OneRoster 1.2 users.csv with roles.csv",
    assumptions: """
      users.csv with its companion roles.csv beside it (1.2 moved roles and orgs out \
      of users.csv): a user's primary role row (roleType primary, else the first) \
      gives the role and the school (orgSourcedId); custom_id is sourcedId; \
      districtAdministrator, siteAdministrator, systemAdministrator and principal \
      are Administrators, counselor is Staff; aide, guardian, parent, relative and \
      proctor are skipped; grades and status as for oneroster-1.1.
      """,
    text: """
      # OneRoster 1.2 users.csv, joined with roles.csv (same folder).
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      [file roles]
      path = roles.csv
      key = userSourcedId
      matches = sourcedId
      prefer roleType = primary

      \(oneRosterPerson)

      [school_district_external_id]
      from = @roles.orgSourcedId

      [user_type]
      from = @roles.role
      value student = Student
      value teacher = Teacher
      value administrator = Administrator
      value districtAdministrator = Administrator
      value siteAdministrator = Administrator
      value systemAdministrator = Administrator
      value principal = Administrator
      value counselor = Staff
      \(skippedRoles)

      \(oneRosterGradeAndStatus)

      """)
}
