// Packaging: npm pack gives a package of built files that installs (native addon built) and runs
// umltop against a real instance; --help/--version; the man page and bash completion are
// generated from the code's tables, render cleanly and complete real umids.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOBAL_FLAGS } from '../../src/config/options.js';
import { runCli } from '../helpers/run-cli.js';
import { Fleet } from '../helpers/uml-fleet.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const sh = (cmd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync('bash', ['-c', cmd], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

let fleet: Fleet;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-pack-'));
  fleet = await Fleet.boot([{ umid: 'pkg-vm' }]);
});
afterAll(async () => {
  await fleet?.teardown();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the Ink fork in the bundle', () => {
  it("the built bundle draws through the fork: its Ink builds frames with umltop's Output and measures with its measureText", async () => {
    const bundled = await import(path.join(ROOT, 'dist/bundle/ink-fork-check.mjs'));
    expect(await bundled.inkForkCheck()).toEqual({ output: true, measureText: true });
    // the same check on the unbundled modules, where Ink uses its own files, says no
    const plain = await import(path.join(ROOT, 'dist/ui/ink-fork/self-check.js'));
    expect(await plain.inkForkCheck()).toEqual({ output: false, measureText: false });
  });

  it('the bundle step fails when a swap does not happen or Ink is not the version the fork was checked against', async () => {
    const { bundle } = await import(path.join(ROOT, 'scripts/bundle.mjs'));
    const outdir = path.join(dir, 'bundle');
    await expect(
      bundle({ outdir, extraSwaps: { './no-such-module.js': 'dist/ui/ink-fork/output.js' } }),
    ).rejects.toThrow(/no Ink module imports \.\/no-such-module\.js: the swap did not happen/);
    expect(fs.existsSync(outdir)).toBe(false);
    await expect(bundle({ outdir, ink: '6.6.0' })).rejects.toThrow(
      /ink 6\.6\.0 is installed, the fork .* was checked against 6\.8\.0/,
    );
  });
});

describe('packaging', () => {
  it('--help lists every option; --version prints the package version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const f of GLOBAL_FLAGS) expect(help.stdout, f.name).toContain(`--${f.name}`);
    for (const sub of ['mconsole', 'mem', 'bundle', 'console', 'disk', 'tasks', 'replay', 'serve', 'demo'])
      expect(help.stdout).toContain(`umltop ${sub}`);
    const v = await runCli(['--version']);
    expect(v.stdout.trim()).toBe(
      `umltop ${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}`,
    );
  });

  it('the man page and completion are up to date with the code and the man page renders without warnings', () => {
    expect(sh('node scripts/gen-docs.mjs --check 2>&1; echo rc=$?').trim()).toBe('rc=0');
    const page = sh('LANG=C.UTF-8 MANWIDTH=100 man -l man/umltop.1 2>&1');
    for (const f of GLOBAL_FLAGS) expect(page, f.name).toContain(`--${f.name}`);
    expect(page).toMatch(/CONFIGURATION/);
    expect(page).toContain('host_cpu_percent');
    expect(sh('LANG=C.UTF-8 groff -man -Tutf8 -ww -z man/umltop.1 2>&1; echo rc=$?').trim()).toBe('rc=0');
  });

  it('bash completion completes flags, subcommands, umids from the uml dir and mconsole commands', () => {
    const complete = (line: string) =>
      sh(
        `source completion/umltop.bash; COMP_LINE='${line}'; read -ra COMP_WORDS <<< "$COMP_LINE"; [[ $COMP_LINE == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _umltop; printf '%s\\n' "\${COMPREPLY[@]}"`,
      )
        .trim()
        .split('\n');
    expect(complete('umltop --uml-d')).toEqual(['--uml-dir']);
    expect(complete('umltop --pri')).toEqual(['--print-config']);
    expect(complete('umltop se')).toEqual(['serve']);
    expect(complete(`umltop --uml-dir ${fleet.umlDir} mem `)).toEqual(['pkg-vm']);
    expect(complete(`umltop mconsole --uml-dir ${fleet.umlDir} pkg`)).toEqual(['pkg-vm']);
    expect(complete(`umltop mconsole --uml-dir ${fleet.umlDir} pkg-vm pr`)).toEqual(['proc']);
    expect(complete('umltop serve --met')).toEqual(['--metrics']);
  });

  it('npm pack gives only built files; npm install -g of it (native addon built) runs umltop on a real instance', () => {
    const packed = JSON.parse(sh(`npm pack --pack-destination ${dir} --json 2>/dev/null`))[0] as {
      filename: string;
      files: Array<{ path: string }>;
    };
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/umltop',
        'dist/cli/main.js',
        'man/umltop.1',
        'completion/umltop.bash',
        'scripts/uml-kernel.sh',
        'contrib/systemd/umltop.service',
        'contrib/prometheus/umltop-rules.yml',
        'package.json',
      ]),
    );
    // no sources: what is under src/ is the string-width package the fork installs for every
    // dependent (and the folder's README, which npm always packs)
    const sources = files.filter((f) => /^(src|test|bench)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
    expect(sources.sort()).toEqual([
      'src/ui/ink-fork/README.md',
      'src/ui/ink-fork/string-width/index.js',
      'src/ui/ink-fork/string-width/package.json',
    ]);
    // as a user installs it: globally (into a prefix of its own, so this machine's is untouched)
    sh(`npm install -g --prefix ${dir}/inst --no-audit --no-fund ${dir}/${packed.filename} >/dev/null 2>&1`);
    expect(
      fs.existsSync(
        path.join(dir, 'inst/lib/node_modules/umltop/node_modules/unix-dgram/build/Release/unix_dgram.node'),
      ),
    ).toBe(true);
    const bin = path.join(dir, 'inst/bin/umltop');
    expect(sh(`${bin} --version`).trim()).toMatch(/^umltop \d+\.\d+\.\d+$/);
    const doc = JSON.parse(
      sh(`${bin} --once --json --interval 0.3 --uml-dir ${fleet.umlDir} --notify-socket ${dir}/n`),
    );
    expect(doc.instances.map((i: { umid: string; state: string }) => `${i.umid}:${i.state}`)).toEqual([
      'pkg-vm:running',
    ]);
    expect(doc.instances[0].guest.meminfo.MemTotal).toBeGreaterThan(0);
    expect(sh(`${bin} mconsole --uml-dir ${fleet.umlDir} pkg-vm version`)).toMatch(/Linux/);
  }, 180_000);
});
