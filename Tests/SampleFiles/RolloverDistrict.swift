import Foundation

/// A generated district for the rollover's tests (deterministic: the same
/// files every time): students in grades K–12 across three elementary
/// schools (K-5), two middle schools (6-8) and a high school (9-12), a few
/// teachers, the directory as it stands before the rollover, and the SIS
/// export after it — every returning student a grade up, the top grade of
/// each school moved up to the school of the next level (E1, E2 → M1;
/// E3 → M2; M1, M2 → H1), the 12th grade gone, plus what a real rollover
/// also brings: new kindergarteners and a few students who left.
public struct RolloverDistrict: Sendable {
  public let students: Int
  public let teachers: Int
  /// Students of grade 7 who left the district (absent, not graduates).
  public let leavers: Int
  /// New kindergarteners in the export (creates).
  public let newStudents: Int

  public static let header =
    "first_name,middle_name,last_name,email,custom_id,school_district_external_id,user_type,position,grade,status"
  public static let grades = ["K"] + (1...12).map(String.init)
  public static let schools: [(id: String, name: String, range: String)] = [
    ("E1", "Adams Elementary", "K-5"), ("E2", "Baker Elementary", "K-5"), ("E3", "Carver Elementary", "K-5"),
    ("M1", "Dewey Middle", "6-8"), ("M2", "Edison Middle", "6-8"), ("H1", "Franklin High", "9-12"),
  ]

  public init(students: Int = 6000, teachers: Int = 60, leavers: Int = 3, newStudents: Int = 40) {
    self.students = students
    self.teachers = teachers
    self.leavers = leavers
    self.newStudents = newStudents
  }

  /// Student `index`'s grade (0 = K … 12) and school before the rollover.
  func grade(_ index: Int) -> Int { index % 13 }
  func school(_ index: Int, grade: Int) -> String {
    switch grade {
    case 0...5: ["E1", "E2", "E3"][(index / 13) % 3]
    case 6...8: ["M1", "M2"][(index / 13) % 2]
    default: "H1"
    }
  }
  /// The school of the next level (the feeder pattern).
  func nextSchool(_ school: String) -> String {
    switch school {
    case "E1", "E2": "M1"
    case "E3": "M2"
    default: "H1"
    }
  }

  /// Whether student `index` is one of the leavers (the first of grade 7).
  func isLeaver(_ index: Int) -> Bool { grade(index) == 7 && index / 13 < leavers }

  public var expectedGraduates: Int { (0..<students).filter { grade($0) == 12 }.count }
  public var expectedSchoolMoves: Int { (0..<students).filter { [5, 8].contains(grade($0)) }.count }
  public var expectedGradeMoves: Int { students - expectedGraduates - expectedSchoolMoves - leavers }

  private func student(_ index: Int, grade: Int, school: String) -> String {
    let id = String(format: "S%05d", index + 1)
    return "Pupil\(index + 1),,Family\(index % 97),\(id.lowercased())@district.example,\(id),\(school),Student,,"
      + "\(Self.grades[grade]),Active"
  }

  private func teacher(_ index: Int) -> String {
    let id = String(format: "T%04d", index + 1)
    return "Teach\(index + 1),,Staffer\(index % 31),\(id.lowercased())@district.example,\(id),"
      + "\(Self.schools[index % Self.schools.count].id),Teacher,Teacher,,Active"
  }

  /// `external_id,name,kind` (what `directory import --organizations` reads).
  public var organizationsCSV: String {
    (["external_id,name,kind", "DIST,Rollover District,district"]
      + Self.schools.map { "\($0.id),\($0.name),school" }).joined(separator: "\n") + "\n"
  }

  /// SDS v1 `School.csv`, with each school's Grade Low and Grade High.
  public var schoolDataSyncCSV: String {
    (["SIS ID,Name,School Number,Grade Low,Grade High"]
      + Self.schools.map { school in
        let ends = school.range.split(separator: "-")
        return "\(school.id),\(school.name),\(school.id),\(ends[0]),\(ends[1])"
      }).joined(separator: "\n") + "\n"
  }

  /// The directory before the rollover (`directory import --accounts`).
  public var accountsCSV: String {
    var lines = [Self.header]
    for index in 0..<students {
      lines.append(student(index, grade: grade(index), school: school(index, grade: grade(index))))
    }
    for index in 0..<teachers { lines.append(teacher(index)) }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The SIS export after the rollover.
  public var rolloverExportCSV: String {
    var lines = [Self.header]
    for index in 0..<students where grade(index) < 12 && !isLeaver(index) {
      let from = grade(index)
      let school = school(index, grade: from)
      let moves = from == 5 || from == 8
      lines.append(student(index, grade: from + 1, school: moves ? nextSchool(school) : school))
    }
    for index in 0..<newStudents {
      lines.append(student(students + index, grade: 0, school: ["E1", "E2", "E3"][index % 3]))
    }
    for index in 0..<teachers { lines.append(teacher(index)) }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The four files in `folder`: organizations.csv, School.csv,
  /// accounts.csv and rollover.csv.
  public func write(to folder: URL) throws -> (organizations: String, schools: String, accounts: String, export: String)
  {
    func put(_ name: String, _ text: String) throws -> String {
      let url = folder.appendingPathComponent(name)
      try Data(text.utf8).write(to: url)
      return url.path
    }
    return (
      try put("organizations.csv", organizationsCSV), try put("School.csv", schoolDataSyncCSV),
      try put("accounts.csv", accountsCSV), try put("rollover.csv", rolloverExportCSV)
    )
  }
}
