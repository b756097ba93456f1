// The engine's public face: one import for the review screen, the
// commands and the tools. The layers and their rule: docs/ARCHITECTURE.md.
@_exported import ExportReading
@_exported import SyncApplying
@_exported import SyncDirectory
@_exported import SyncModel
@_exported import SyncPlanning
@_exported import SyncReporting
