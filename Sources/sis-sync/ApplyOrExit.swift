import ArgumentParser
import SyncEngine

/// Runs an apply (`apply`, `organizations match`): a refusal is said on
/// stderr and becomes its exit code (held 11, refused 12, locked 13), any
/// other failure a directory error (4). Nothing was written in either case,
/// except when the connection to a server was lost during COMMIT and the
/// server could not be asked whether it committed (14).
/// A plan already applied is passed on as `PlanAlreadyApplied`: nothing to do.
func applyOrExit(_ apply: () throws -> ApplyOutcome) throws -> ApplyOutcome {
  do {
    return try apply()
  } catch let done as PlanAlreadyApplied {
    // Not a failure: the caller says so in its own format (exit 10).
    throw done
  } catch let refusal as PendingRunRefusal {
    // The caller says it (a pending run not found, or decided already).
    throw refusal
  } catch let refusal as ApplyRefusal {
    printError("sis-sync: not applied: \(refusal)")
    switch refusal {
    case .held, .idChangesHeld: throw SisSyncExit.held
    case .locked: throw SisSyncExit.locked
    case .stale, .otherDirectory, .replacedOrRestored, .doesNotFit: throw SisSyncExit.refused
    }
  } catch let unknown as WriteOutcomeUnknown {
    // The one failure that may have written: said apart (exit 14).
    printError("sis-sync: \(unknown)")
    throw SisSyncExit.outcomeUnknown
  } catch {
    printError("sis-sync: \(error)")
    throw SisSyncExit.directoryError
  }
}
