// Runs once per test run: build dist/ (the CLI tests run the real binary), provision the kernel
// (probed by booting it), and sweep up whatever a crashed test worker left behind.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sweepLeftovers, umlEnvironment } from './helpers/uml-fleet.js';

export default function setup(): () => void {
  const root = path.resolve(import.meta.dirname, '..');
  execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: root, stdio: 'inherit' });
  const env = umlEnvironment();
  process.env.UMLTOP_FLEET_KERNEL = env.kernel;
  process.env.UMLTOP_FLEET_ROOTFS = env.rootfs;
  // The developer's own ~/.config/umltop must not change what the tests see.
  process.env.XDG_CONFIG_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-xdg-'));
  return () => {
    fs.rmSync(process.env.XDG_CONFIG_HOME!, { recursive: true, force: true });
    const { killed, removed } = sweepLeftovers();
    if (killed || removed)
      console.error(`test sweep: killed ${killed} leftover UML process(es), removed ${removed} dir(s)`);
  };
}
