import Testing

@testable import ExportReading

/// Planning drops the email conflicts that became ID changes with
/// `removeAll(whereCodeAndLine:)`, which reads codes and lines in place and
/// moves the findings kept: they must stay whole and in their order.
@Suite struct FindingRemovalTests {
  private func finding(_ code: FindingCode, line: Int?) -> Finding {
    Finding(code: code, line: line, message: "\(code.id) on line \(line.map(String.init) ?? "none")")
  }

  @Test func theFindingsKeptStayWholeAndInOrder() {
    let all = [
      finding(.emailConflict, line: 3), finding(.invalidEmail, line: 3), finding(.emailConflict, line: 5),
      finding(.emailConflict, line: nil), finding(.missingValue, line: 8), finding(.emailConflict, line: 9),
    ]
    var findings = all
    findings.removeAll(whereCodeAndLine: { code, line in code == .emailConflict && [3, 9].contains(line ?? 0) })
    #expect(findings.map(\.message) == [all[1], all[2], all[3], all[4]].map(\.message))
    findings.removeAll(whereCodeAndLine: { _, _ in false })
    #expect(findings.count == 4)
    findings.removeAll(whereCodeAndLine: { _, _ in true })
    #expect(findings.isEmpty)
  }
}
