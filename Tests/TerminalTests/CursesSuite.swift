import Testing

/// Every test that touches curses (or the locale) is in this one serialized
/// suite: curses has global state (the current screen, the input queue).
/// The tests are in extensions, one file per subject.
@Suite(.serialized) struct CursesSuite {}
