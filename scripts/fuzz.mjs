// npm run fuzz [-- --seconds N]: the fuzz campaign (test/fuzz/campaign.fuzz.ts) for N seconds
// (default 60) shared by every target, from the sources (no build). Writes bench/fuzz.json.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const i = process.argv.indexOf('--seconds');
const seconds = i > 0 ? Number(process.argv[i + 1]) : 60;
if (!(seconds > 0)) {
  console.error('usage: npm run fuzz -- --seconds N');
  process.exit(2);
}
const r = spawnSync(
  path.join(root, 'node_modules/.bin/vitest'),
  ['run', '--project', 'fuzz', '--reporter', 'verbose'],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      UMLTOP_FUZZ_SECONDS: String(seconds),
      UMLTOP_FUZZ_REPORT: path.join(root, 'bench/fuzz.json'),
    },
  },
);
process.exit(r.status ?? 1);
