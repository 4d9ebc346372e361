// umltop serve --web-config: TLS and basic auth as Prometheus exporters do them (exporter-toolkit's
// web configuration file), with certificates made here by openssl, checked with curl and scraped by
// a real Prometheus over TLS with basic auth; bad files are errors that name their key.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExporterRig } from '../helpers/prometheus.js';
import { runCli } from '../helpers/run-cli.js';
import { Fleet, waitFor } from '../helpers/uml-fleet.js';

const PASSWORD = 'scrape-me-8fj3';
let dir: string;
const file = (name: string) => path.join(dir, name);

/** A CA and a server certificate for 127.0.0.1 signed by it. */
function makeCertificates(): void {
  const ssl = (line: string) => execFileSync('bash', ['-c', `openssl ${line}`], { cwd: dir, stdio: 'pipe' });
  const sign = (name: string, ext = '') =>
    ssl(`x509 -req -in ${name}.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out ${name}.pem -days 2 ${ext}`);
  ssl("req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=umltop test CA'");
  ssl('req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1');
  fs.writeFileSync(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  sign('server', '-extfile san.ext');
  ssl('req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj /CN=prometheus');
  sign('client');
  // a client certificate no CA of the exporter's signed
  ssl("req -x509 -newkey rsa:2048 -nodes -keyout stranger.key -out stranger.pem -days 2 -subj '/CN=stranger'");
}

const curl = (...args: string[]) =>
  execFileSync('bash', ['-c', `curl -s -o /dev/null -w '%{http_code}' --max-time 5 ${args.join(' ')}; true`], {
    encoding: 'utf8',
  });

describe('--web-config files that are wrong', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-web-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('are refused before listening, naming the key (exit 2)', async () => {
    const cases: Array<[string, RegExp]> = [
      [
        'tls_server_config:\n  cert_file: nope.pem\n  key_file: nope.key\n',
        /tls_server_config\.cert_file: cannot read nope\.pem: ENOENT/,
      ],
      ['basic_auth_users:\n  alice: secret\n', /basic_auth_users\.alice: a bcrypt hash/],
      [
        'tls_server_config:\n  cert_file: a\n  key_file: b\n  cert: c\n',
        /tls_server_config\.cert: not a key of the web config format/,
      ],
      ['tls_server_config:\n  cert_file: a\n', /tls_server_config\.key_file: /],
      [
        'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: RequireAndVerifyClientCert\n',
        /client_ca_file: needed/,
      ],
      ['basic_auth_users: [\n', /not valid YAML/],
      [
        'tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n',
        /tls_server_config\.cipher_suites: a key of the exporter toolkit format that umltop does not support/,
      ],
    ];
    for (const [text, message] of cases) {
      fs.writeFileSync(file('bad.yml'), text);
      const r = await runCli(['serve', '--metrics', '127.0.0.1:0', '--web-config', file('bad.yml'), '--uml-dir', dir]);
      expect(r.code, text).toBe(2);
      expect(r.stderr, text).toMatch(message);
      expect(r.stderr).toMatch(new RegExp(`web config ${file('bad.yml')}`));
    }
  });
});

describe('TLS and basic auth on a real fleet, scraped by a real Prometheus', () => {
  let fleet: Fleet;
  let rig: ExporterRig;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-web-'));
    rig = new ExporterRig(dir);
    makeCertificates();
    fs.writeFileSync(
      file('web.yml'),
      `tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\nbasic_auth_users:\n  prometheus: '${bcrypt.hashSync(PASSWORD, 10)}'\n`,
    );
    fleet = await Fleet.boot([{ umid: 'web-idle' }]);
  });
  afterAll(async () => {
    rig?.stopAll();
    await fleet?.teardown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('401 without credentials or with a wrong password, 200 with them over https; Prometheus scrapes it', async () => {
    const serve = await rig.serve([
      '--web-config',
      file('web.yml'),
      '--uml-dir',
      fleet.umlDir,
      '--notify-socket',
      file('n'),
    ]);
    expect(serve.stderr()).toMatch(/metrics on https:\/\/127\.0\.0\.1:\d+\/metrics/);
    const url = `https://127.0.0.1:${serve.port}/metrics`;
    const ca = `--cacert ${file('ca.pem')}`;
    expect(curl(ca, url)).toBe('401');
    expect(curl(ca, '-u', 'prometheus:wrong', url)).toBe('401');
    expect(curl(ca, '-u', `nobody:${PASSWORD}`, url)).toBe('401');
    expect(curl(ca, '-u', `prometheus:${PASSWORD}`, url)).toBe('200');
    expect(curl(`http://127.0.0.1:${serve.port}/metrics`)).toBe('000'); // no clear text on a TLS port
    const body = execFileSync('curl', ['-s', '--cacert', file('ca.pem'), '-u', `prometheus:${PASSWORD}`, url], {
      encoding: 'utf8',
    });
    expect(body).toMatch(/^umltop_instance_state\{umid="web-idle",.*state="running"\} 1$/m);

    const scrape = (password: string) =>
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: umltop',
        '    scheme: https',
        '    tls_config:',
        `      ca_file: ${file('ca.pem')}`,
        '    basic_auth:',
        '      username: prometheus',
        `      password: ${password}`,
        '    static_configs:',
        `      - targets: ['127.0.0.1:${serve.port}']`,
        '',
      ].join('\n');
    const prom = await rig.prometheus(scrape(PASSWORD));
    await waitFor(
      async () => (await prom.query('up{job="umltop"}'))[0]?.value[1] === '1',
      30_000,
      'Prometheus to scrape over TLS',
    );
    expect((await prom.query('umltop_instance_state{state="running"}')).map((s) => s.metric.umid)).toContain(
      'web-idle',
    );
    expect((await prom.targets())[0]).toMatchObject({ health: 'up', lastError: '', scrapeUrl: url });
    // the same scrape with a wrong password: the target is down with a 401
    const wrong = await rig.prometheus(scrape('not-it'));
    await waitFor(async () => (await wrong.targets())[0]?.health === 'down', 30_000, 'a 401 scrape');
    expect((await wrong.targets())[0]!.lastError).toMatch(/401/);
    // no password, right or wrong, is ever written out
    expect(serve.stderr()).not.toMatch(new RegExp(`${PASSWORD}|not-it`));
  }, 120_000);

  it('client_auth_type RequireAndVerifyClientCert: without a client certificate or with a stranger one, no connection; with one client_ca_file signed, 200', async () => {
    fs.writeFileSync(
      file('mtls.yml'),
      'tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.pem\n',
    );
    const serve = await rig.serve([
      '--web-config',
      file('mtls.yml'),
      '--uml-dir',
      fleet.umlDir,
      '--notify-socket',
      file('n2'),
    ]);
    const url = `https://127.0.0.1:${serve.port}/metrics`;
    const ca = `--cacert ${file('ca.pem')}`;
    expect(curl(ca, url)).toBe('000');
    expect(curl(ca, `--cert ${file('stranger.pem')} --key ${file('stranger.key')}`, url)).toBe('000');
    expect(curl(ca, `--cert ${file('client.pem')} --key ${file('client.key')}`, url)).toBe('200');
  });
});
