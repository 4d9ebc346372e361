// Stands in for is-in-ci (ink 6.8.0 build/ink.js imports it) when bundling. Ink asks it once, when
// loaded, and "in CI" (CI=true, ...) draws nothing until exit; umltop starts its TUI only with a
// terminal on stdout, where a live screen is the point, and a build host's shell often has CI set.
// A swap, not deleting process.env.CI before Ink loads: the bundle's chunks load in their own
// order, which let Ink read CI first (every TUI test failed under CI=true).
// On an Ink upgrade, re-check: how ink.js detects CI, and that nothing else reads is-in-ci.
const inCi = false;
export default inCi;
