// Imported before Ink: Ink decides when it is loaded whether it runs "in CI" (CI=true, …) and then
// draws nothing until exit. umltop only loads its TUI with a terminal on stdout, where a live
// screen is the point (a build host's shell often has CI set).
delete process.env.CI;
delete process.env.CONTINUOUS_INTEGRATION;
export {};
