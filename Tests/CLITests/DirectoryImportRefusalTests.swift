import Foundation
import Testing

/// `directory import` builds the email index after the bulk insert; a
/// duplicate in the accounts file is still refused whole, before anything
/// is written, naming the file, the lines and the column.
@Suite struct DirectoryImportRefusalTests {
  @Test func duplicatesInTheAccountsFileAreRefusedByLineAndColumn() throws {
    let scratch = try ScratchFolder()
    let directory = scratch.url.appendingPathComponent("directory.sqlite").path
    let organizations = try scratch.write("orgs.csv", "external_id,name,kind\nD,District,district\nS,Lincoln,school\n")
    let rows = [
      "Ana,,Ruiz,ana@x.org,1,S,Student,,3,Active",
      "Bo,,Li,bo@x.org,1,S,Student,,3,Active",
      "Cy,,Ng,ANA@X.org,3,S,Student,,3,Active",
    ]
    let accounts = try scratch.write("accounts.csv", ([exportHeader] + rows).joined(separator: "\n") + "\n")
    let arguments = ["directory", "import", "--directory", directory, "--organizations", organizations]
    let refused = try SisSyncProcess.run(arguments + ["--accounts", accounts])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("nothing was imported"))
    #expect(refused.stderr.contains("accounts.csv: 3 rows, 3 with errors"))
    #expect(refused.stderr.contains("line 3, custom_id: the same custom_id is on lines 2, 3"))
    #expect(refused.stderr.contains("line 4, email: the same email is on lines 2, 4"))
    // Nothing went in: the same directory takes a good file afterwards.
    let good = try scratch.write("good.csv", ([exportHeader] + rows.prefix(1)).joined(separator: "\n") + "\n")
    let imported = try SisSyncProcess.run(arguments + ["--accounts", good])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("1 accounts"))
  }
}
