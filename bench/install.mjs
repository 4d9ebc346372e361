// Section 7: how umltop reaches a host. The .deb (a private node under /usr/lib/umltop, issue 29)
// against `npm install -g` of the npm package on the system's node: package and installed size,
// start-up to the first full frame, RSS after a minute. Both TUIs run on the same fleet, start-ups
// alternate, and the two watch it side by side for the RSS figure.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

const duKiB = (p) => Number(execFileSync('du', ['-sk', p], { encoding: 'utf8' }).split('\t')[0]);

export async function benchInstall(results, d) {
  const { quick, log, spread, sleep, tmp, bootFleet, startTui, stopTui, waitFor, rssKiB } = d;
  const env = { ...process.env, UMLTOP_DEB_NO_BUILD: '1', UMLTOP_DEB_OUT: tmp };
  const deb = execFileSync('bash', [path.join(ROOT, 'scripts/package-deb.sh')], { env, encoding: 'utf8' }).trim();
  const unpacked = path.join(tmp, 'deb-root');
  execFileSync('dpkg-deb', ['-x', deb, unpacked]);
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--pack-destination', tmp, '--json'], { cwd: ROOT, encoding: 'utf8' }),
  )[0];
  const prefix = path.join(tmp, 'npm-g');
  execFileSync(
    'npm',
    ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', path.join(tmp, packed.filename)],
    {
      stdio: 'ignore',
    },
  );
  const nodejsKiB = (() => {
    try {
      return Number(execFileSync('dpkg-query', ['-W', '-f', `${'$'}{Installed-Size}`, 'nodejs'], { encoding: 'utf8' }));
    } catch {
      return null; // node not from a Debian package
    }
  })();
  const lib = path.join(unpacked, 'usr/lib/umltop');
  const ways = {
    deb: {
      cmd: path.join(lib, 'node'),
      pre: ['--min-semi-space-size=2', '--max-semi-space-size=4', '--single-threaded-gc', path.join(lib, 'bin/umltop')],
    },
    npm: { cmd: path.join(prefix, 'bin/umltop'), pre: [] },
  };
  const row = {
    deb: {
      packageBytes: fs.statSync(deb).size,
      installedKiB: Number(execFileSync('dpkg-deb', ['-f', deb, 'Installed-Size'], { encoding: 'utf8' })),
    },
    npm: {
      packageBytes: fs.statSync(path.join(tmp, packed.filename)).size,
      installedKiB: duKiB(path.join(prefix, 'lib/node_modules/umltop')),
      nodejsKiB,
    },
  };
  const fleet = await bootFleet(10, 'inst-');
  try {
    await sleep(quick ? 3000 : 10_000); // the guests' init scripts done, as for section 5
    const args = (k, i) => [
      '--uml-dir',
      fleet.umlDir,
      '--interval',
      '1',
      '--notify-socket',
      path.join(tmp, `n-${k}${i}`),
    ];
    const times = { deb: [], npm: [] };
    for (let i = 0; i < (quick ? 2 : 7); i++) {
      for (const k of i % 2 ? ['npm', 'deb'] : ['deb', 'npm']) {
        const o = startTui([...ways[k].pre, ...args(k, i)], {}, ways[k].cmd);
        await waitFor(
          () => fleet.instances.every((x) => o.out.includes(x.umid)) && o.out.includes('quit'),
          10_000,
          'the first full frame',
          1,
        );
        times[k].push(performance.now() - o.t0);
        await stopTui(o);
      }
    }
    const both = Object.fromEntries(
      Object.keys(ways).map((k) => [k, startTui([...ways[k].pre, ...args(k, 'rss')], {}, ways[k].cmd)]),
    );
    const seconds = quick ? 10 : 60;
    await sleep(seconds * 1000);
    for (const k of Object.keys(ways)) {
      row[k].firstFullFrameMs = spread(times[k]);
      row[k].rss = { ...rssKiB(both[k].p.pid), atS: seconds };
      await stopTui(both[k]);
    }
  } finally {
    await fleet.teardown();
  }
  results.install = { instances: 10, node: process.version, ...row };
  log('install', JSON.stringify(results.install));
}

export function installSection(x, when) {
  const mib = (k) => (k / 1024).toFixed(1);
  const s = (v) => `${round1(v.median)} (${round1(v.min)}–${round1(v.max)}, n=${v.n})`;
  const round1 = (v) => (v >= 100 ? Math.round(v) : Math.round(v * 10) / 10);
  return [
    '## 7. Install: the .deb against npm install -g',
    '',
    ...when,
    `The .deb (\`npm run package\`: node ${x.node} under /usr/lib/umltop, unpacked with \`dpkg-deb -x\` and run as its launcher runs it) and \`npm install -g\` of \`npm pack\` (run by the system's node). Start-up: to the first frame holding all ${x.instances} instances, in a 120×40 pseudo-terminal, the two alternating; RSS: both watching the same fleet side by side.`,
    '',
    `| way | package | installed | first full frame, ms | RSS after ${x.deb.rss.atS} s, MiB |`,
    '| --- | ---: | ---: | --- | ---: |',
    `| .deb | ${mib(x.deb.packageBytes / 1024)} MiB | ${mib(x.deb.installedKiB)} MiB (node included) | ${s(x.deb.firstFullFrameMs)} | ${mib(x.deb.rss.rss)} |`,
    `| npm install -g | ${mib(x.npm.packageBytes / 1024)} MiB | ${mib(x.npm.installedKiB)} MiB${x.npm.nodejsKiB ? ` + nodejs ${mib(x.npm.nodejsKiB)} MiB` : ''} (+ make, g++, python3 to build the addon) | ${s(x.npm.firstFullFrameMs)} | ${mib(x.npm.rss.rss)} |`,
    '',
  ];
}
