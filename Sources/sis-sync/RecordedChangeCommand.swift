import SyncEngine

/// The one way a command that changes a record outside a plan (`protect`,
/// `unprotect`, `local-fields set|unset`) runs its change as a run: the
/// directory opened for writing, and each refusal mapped to the exit code
/// scripts rely on. Returns nil when nothing needed changing.
func runRecordedChange(
  directoryOptions: DirectoryOptions, _ change: (any DirectoryStore) throws -> RunRecord?
) throws -> RunRecord? {
  let directory = try directoryOptions.open(.write)
  do {
    return try change(directory)
  } catch let refusal as ApplyRefusal {
    printError("sis-sync: \(refusal)")
    throw SisSyncExit.locked
  } catch let error as ProtectionError {
    printError("sis-sync: \(error)")
    throw SisSyncExit.usage
  } catch let error as LocalFieldsError {
    printError("sis-sync: \(error)")
    throw SisSyncExit.usage
  } catch {
    printError("sis-sync: \(error)")
    throw SisSyncExit.directoryError
  }
}
