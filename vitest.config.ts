import path from 'node:path';
import fs from 'node:fs';
import { defineConfig, type Plugin } from 'vitest/config';
import { INK_SWAPS } from './src/ui/ink-fork/upstream.js';

// Two tiers. unit: pure tests (parsers, codec, panes, reducers, the store), run from the sources
// with nothing built, booted or set up (`npm run test:unit`). integration: every file named
// *.integration.test.ts or *.e2e.test.ts; they boot real UML kernels, run the built binary and
// drive real terminals, after test/global-setup.ts has built dist/ and provisioned a kernel.
const HEAVY = ['test/**/*.integration.test.{ts,tsx}', 'test/**/*.e2e.test.{ts,tsx}'];

/** Ink's modules swapped for the fork's sources, as scripts/bundle.mjs swaps them in the binary. */
function inkFork(): Plugin {
  return {
    name: 'umltop-ink-fork',
    enforce: 'pre',
    resolveId(source, importer) {
      const to = INK_SWAPS[source];
      if (!to || !importer || !/[\\/](ink[\\/]build|cli-cursor)[\\/]/.test(importer)) return null;
      return path.resolve(import.meta.dirname, to.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'));
    },
    // Ink's build names source maps of sources it does not ship: read without them (Vite warns for each)
    load(id) {
      if (!/[\\/]node_modules[\\/](ink|ink-testing-library)[\\/]build[\\/].*\.js$/.test(id)) return null;
      return fs.readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, '');
    },
  };
}

export default defineConfig({
  plugins: [inkFork()],
  test: {
    pool: 'forks',
    // Ink goes through Vite so that its imports meet the plugin (tests draw as the binary does).
    server: { deps: { inline: [/[\\/]node_modules[\\/](ink|ink-testing-library|cli-cursor)[\\/]/] } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.{ts,tsx}'],
          exclude: HEAVY,
          setupFiles: ['test/unit-setup.ts'],
          testTimeout: 20_000,
        },
      },
      {
        // `npm run fuzz`: the long campaign, never part of `npm test` (the unit tier has a short budget)
        extends: true,
        test: { name: 'fuzz', include: ['test/fuzz/**/*.fuzz.ts'], testTimeout: 3_600_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: HEAVY,
          globalSetup: ['test/global-setup.ts'],
          // Test files boot real UML instances and drive real terminals: on a 2-core machine, one
          // file at a time keeps timings honest.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
