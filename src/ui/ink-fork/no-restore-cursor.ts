// Stands in for restore-cursor (cli-cursor 4, which Ink 6.8.0 uses to hide the cursor, imports it)
// when bundling. restore-cursor writes a cursor-show escape to stderr at exit, whether or not
// stderr is the terminal: it ended up in log files (`umltop 2>log`). The TUI shows the cursor
// itself, on its own terminal, on every exit path (run-tui.tsx; Ink's unmount does too).
// On an Ink upgrade, re-check: what hides the cursor and what is registered to show it at exit.
export default function restoreCursor(): void {}
