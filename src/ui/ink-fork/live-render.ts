// Imported before Ink: ink 6.6.0 build/ink.js decides when it is loaded whether it runs "in CI"
// (is-in-ci: CI=true, ...) and then draws nothing until exit. umltop loads its TUI only with a
// terminal on stdout, where a live screen is the point (a build host's shell often has CI set).
// On an Ink upgrade, re-check: how ink.js detects CI.
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
export {};
