import SyncModel

extension MappingPreset {
  static let cleverStudents = MappingPreset(
    name: "clever-students", title: "Clever students.csv",
    assumptions: """
      Clever's SIS CSV students.csv: custom_id is Student_id (the SIS's ID), the school \
      is School_id, email is Student_email; Clever grade names (PreKindergarten, \
      Kindergarten, 1–12, PostGraduate, Ungraded…), TransitionalKindergarten left for \
      the district; the file has no status: every row is Active (Clever removes users by \
      leaving them out: use --disable-missing).
      """,
    text: """
      # Clever students.csv (SIS CSV upload).
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      [first_name]
      from = First_name

      [middle_name]
      from = Middle_name
      optional = yes

      [last_name]
      from = Last_name

      [email]
      from = Student_email

      [custom_id]
      from = Student_id

      [school_district_external_id]
      from = School_id

      [user_type]
      constant = Student

      [position]
      constant = ""

      [grade]
      from = Grade
      value InfantToddler = PreK
      value Preschool = PreK
      value PreKindergarten = PreK
      value Kindergarten = K
      value 13 = Other
      value PostGraduate = Other
      value Ungraded = Unspecified

      [status]
      constant = Active

      """)

  static let cleverTeachers = MappingPreset(
    name: "clever-teachers", title: "Clever teachers.csv",
    assumptions: """
      Clever's SIS CSV teachers.csv: custom_id is Teacher_id, the school is School_id, \
      email is Teacher_email, position is Title; every row is an Active Teacher.
      """,
    text: """
      # Clever teachers.csv (SIS CSV upload).
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      [first_name]
      from = First_name

      [middle_name]
      from = Middle_name
      optional = yes

      [last_name]
      from = Last_name

      [email]
      from = Teacher_email

      [custom_id]
      from = Teacher_id

      [school_district_external_id]
      from = School_id

      [user_type]
      constant = Teacher

      [position]
      from = Title

      [grade]
      constant = ""

      [status]
      constant = Active

      """)
}
