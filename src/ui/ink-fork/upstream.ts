// The Ink this fork was written against and checked with. The bundle step (scripts/bundle.mjs)
// refuses another version: on an upgrade, re-check each file of this folder against the upstream
// file its header names, then change this.
export const INK_VERSION = '6.8.0';

/**
 * Modules replaced when bundling: the import specifier (as Ink's build files, or cli-cursor for
 * restore-cursor, write it) → the fork's module in dist/.
 */
export const INK_SWAPS: Record<string, string> = {
  './output.js': 'dist/ui/ink-fork/output.js',
  './measure-text.js': 'dist/ui/ink-fork/measure-text.js',
  'is-in-ci': 'dist/ui/ink-fork/not-in-ci.js',
  'restore-cursor': 'dist/ui/ink-fork/no-restore-cursor.js',
};
