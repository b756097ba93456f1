import SyncModel

extension MappingPreset {
  static let powerSchoolStudents = MappingPreset(
    name: "powerschool-students", title: "PowerSchool student export",
    assumptions: """
      fields of the PowerSchool Students table: custom_id is Student_Number, the school \
      is SchoolID, email is Student_Email (a district field: rename it with an \
      override if yours differs); Grade_Level integers with -2 and -1 as PreK, 0 as K \
      and 99 as Other — states number PreK and K differently, so override [grade] \
      in a mapping file that starts with 'extends = powerschool-students'; \
      Enroll_Status 0 (enrolled) and -1 (pre-registered) are Active, 2 (transferred \
      out) and 3 (graduated) are Disabled.
      """,
    text: """
      # PowerSchool students (Students table fields).
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      [first_name]
      from = First_Name

      [middle_name]
      from = Middle_Name
      optional = yes

      [last_name]
      from = Last_Name

      [email]
      from = Student_Email

      [custom_id]
      from = Student_Number

      [school_district_external_id]
      from = SchoolID

      [user_type]
      constant = Student

      [position]
      constant = ""

      [grade]
      from = Grade_Level
      value "-2" = PreK
      value "-1" = PreK
      value 0 = K
      value 99 = Other

      [status]
      from = Enroll_Status
      value 0 = Active
      value "-1" = Active
      value 1 = Disabled
      value 2 = Disabled
      value 3 = Disabled
      value 4 = Disabled

      """)

  static let powerSchoolStaff = MappingPreset(
    name: "powerschool-staff", title: "PowerSchool staff (Teachers table) export",
    assumptions: """
      fields of the PowerSchool Teachers table: custom_id is TeacherNumber, email is \
      Email_Addr, the school is SchoolID, position is Title; Staff_Type 1 (teacher) and \
      4 (substitute) are Teachers, 0 (not assigned), 2 (staff) and 3 (lunch staff) are \
      Staff; Status 1 is Active, 2 Disabled; a person with a row per school keeps the \
      row at their HomeSchoolID (the others are left out, I058).
      """,
    text: """
      # PowerSchool staff (Teachers table fields).
      # A format has columns sis-sync does not need (passwords, phones…).
      unused = ignore

      [first_name]
      from = First_Name

      [middle_name]
      from = Middle_Name
      optional = yes

      [last_name]
      from = Last_Name

      [email]
      from = Email_Addr

      [custom_id]
      from = TeacherNumber

      [school_district_external_id]
      from = SchoolID
      home = HomeSchoolID

      [user_type]
      from = StaffStatus
      value 0 = Staff
      value 1 = Teacher
      value 2 = Staff
      value 3 = Staff
      value 4 = Teacher

      [position]
      from = Title

      [grade]
      constant = ""

      [status]
      from = Status
      value 1 = Active
      value 2 = Disabled

      """)
}
