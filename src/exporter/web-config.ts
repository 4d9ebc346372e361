// `umltop serve --web-config FILE`: the web configuration file of Prometheus exporters
// (exporter-toolkit's format): tls_server_config for HTTPS, basic_auth_users with bcrypt hashes.
// Read and checked once at start: a bad file is an error that names its key, before listening.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';

export class WebConfigError extends Error {}

const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
const CLIENT_AUTH = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;
// Keys of the exporter toolkit's format that umltop does not take (Node's TLS defaults apply)
const UNSUPPORTED = new Set([
  'tls_server_config.cipher_suites',
  'tls_server_config.curve_preferences',
  'tls_server_config.prefer_server_cipher_suites',
  'tls_server_config.client_allowed_sans',
  'http_server_config.http2',
]);
// $2a$, $2b$, $2y$: cost, 22 characters of salt, 31 of hash
const BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

const schema = z.strictObject({
  tls_server_config: z
    .strictObject({
      cert_file: z.string().min(1),
      key_file: z.string().min(1),
      client_auth_type: z.enum(CLIENT_AUTH).optional(),
      client_ca_file: z.string().min(1).optional(),
      min_version: z.enum(Object.keys(TLS_VERSIONS) as [keyof typeof TLS_VERSIONS]).optional(),
      max_version: z.enum(Object.keys(TLS_VERSIONS) as [keyof typeof TLS_VERSIONS]).optional(),
    })
    .optional(),
  http_server_config: z.strictObject({ headers: z.record(z.string(), z.string()).optional() }).optional(),
  basic_auth_users: z
    .record(z.string().min(1), z.string().regex(BCRYPT, 'a bcrypt hash ($2y$10$… as htpasswd -nBC 10 makes)'))
    .optional(),
});

export interface WebConfig {
  tls?: {
    cert: Buffer;
    key: Buffer;
    ca?: Buffer;
    requestCert: boolean;
    rejectUnauthorized: boolean;
    minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
    maxVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  };
  /** user → bcrypt hash */
  users?: Map<string, string>;
  headers?: Record<string, string>;
}

export function readWebConfig(file: string): WebConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new WebConfigError(`web config ${file}: cannot read it: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  const doc = parseDocument(text);
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    const at = err.linePos?.[0];
    throw new WebConfigError(
      `web config ${file}${at ? `:${at.line}:${at.col}` : ''}: not valid YAML: ${err.message.split('\n')[0]}`,
    );
  }
  const result = schema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    const i = result.error.issues[0]!;
    const keyPath = i.code === 'unrecognized_keys' ? [...i.path, i.keys[0]!] : i.path;
    const what =
      i.code !== 'unrecognized_keys'
        ? i.message
        : UNSUPPORTED.has(keyPath.join('.'))
          ? 'a key of the exporter toolkit format that umltop does not support (it serves HTTP/1.1 with Node TLS defaults)'
          : 'not a key of the web config format';
    throw new WebConfigError(`web config ${file}: ${keyPath.join('.') || '(top level)'}: ${what}`);
  }
  const c = result.data;
  // paths in the file are relative to the file, as the exporter toolkit has them
  const dir = path.dirname(path.resolve(file));
  const readKeyFile = (key: string, p: string): Buffer => {
    try {
      return fs.readFileSync(path.resolve(dir, p));
    } catch (e) {
      throw new WebConfigError(
        `web config ${file}: ${key}: cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? e}`,
      );
    }
  };
  const out: WebConfig = {};
  const t = c.tls_server_config;
  if (t) {
    const auth = t.client_auth_type ?? 'NoClientCert';
    const verifies = auth === 'VerifyClientCertIfGiven' || auth === 'RequireAndVerifyClientCert';
    if (verifies && !t.client_ca_file)
      throw new WebConfigError(
        `web config ${file}: tls_server_config.client_ca_file: needed with client_auth_type ${auth}`,
      );
    out.tls = {
      cert: readKeyFile('tls_server_config.cert_file', t.cert_file),
      key: readKeyFile('tls_server_config.key_file', t.key_file),
      ...(t.client_ca_file ? { ca: readKeyFile('tls_server_config.client_ca_file', t.client_ca_file) } : {}),
      requestCert: auth !== 'NoClientCert',
      rejectUnauthorized: auth === 'RequireAndVerifyClientCert' || auth === 'RequireAnyClientCert',
      minVersion: TLS_VERSIONS[t.min_version ?? 'TLS12'],
      ...(t.max_version ? { maxVersion: TLS_VERSIONS[t.max_version] } : {}),
    };
  }
  if (c.basic_auth_users && Object.keys(c.basic_auth_users).length)
    out.users = new Map(Object.entries(c.basic_auth_users));
  if (c.http_server_config?.headers) out.headers = c.http_server_config.headers;
  return out;
}
