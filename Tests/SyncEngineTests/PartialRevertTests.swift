import Foundation
import StoreKinds
import SyncEngine
import Testing

/// `revert --only` and `--dry-run` on both stores: a partial revert, the
/// rest restored later, a partial revert undone, and a preview that writes
/// nothing and says what the revert then does.
@Suite struct PartialRevertTests {
  @Test(arguments: StoreKind.allCases) func partialRevertsAddUpToTheWholeRun(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    guard case .applied(let run) = try fixture.directory.apply(try fixture.plan(ApplyTests.rows)) else {
      Issue.record("not applied")
      return
    }
    let ana = try fixture.directory.revert(runID: run.id, only: ["1001"])
    #expect(ana.reverted.map(\.customID) == ["1001"])
    #expect(try fixture.accountLines().contains("Ana,,Ruiz,ana@x.org,1001,S1,Student,,5,Active"))
    #expect(try fixture.accountLines().contains("Bo,,Li,bo@x.org,1002,S1,Student,,4,Disabled"))
    #expect(throws: RunAlreadyReverted.self) { try fixture.directory.revert(runID: run.id, only: ["1001"]) }
    #expect(throws: NotInRun.self) { try fixture.directory.revert(runID: run.id, only: ["9999"]) }

    // Undoing the partial revert makes Ana's change revertible again.
    _ = try fixture.directory.revert(runID: ana.run.id)
    #expect(try fixture.accountLines().contains("Ana,,Ruiz,ana@x.org,1001,S1,Student,,6,Active"))
    let rest = try fixture.directory.revert(runID: run.id)
    #expect(rest.reverted.count == 4)
    #expect(throws: RunAlreadyReverted.self) { try fixture.directory.revert(runID: run.id) }
  }

  @Test(arguments: StoreKind.allCases) func previewWritesNothingAndMatchesTheRevert(store: StoreKind) throws {
    let fixture = try SyncFixture(accounts: ApplyTests.accounts, store: store)
    guard case .applied(let run) = try fixture.directory.apply(try fixture.plan(ApplyTests.rows)) else {
      Issue.record("not applied")
      return
    }
    _ = try fixture.directory.apply(
      try fixture.plan(["Ana,,Ruiz,ana@x.org,1001,S1,Student,,7,Active"] + ApplyTests.rows.dropFirst()))
    let state = try fixture.directory.state
    let lines = try fixture.accountLines()
    let runs = try fixture.directory.runs()
    let preview = try fixture.directory.previewRevert(runID: run.id)
    #expect(try fixture.directory.state == state)
    #expect(try fixture.accountLines() == lines)
    #expect(try fixture.directory.runs() == runs)
    let result = try fixture.directory.revert(runID: run.id)
    #expect(preview.kept == result.kept)
    #expect(preview.reverted == result.reverted)
    #expect(preview.failed == result.failed)
    #expect(preview.kept.map(\.customID) == ["1001"])
  }
}
