// Finding, parsing and validating the config file. Errors name the file, the line and the key.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { Action } from '../ui/keys/action.js';
import { ACTIONS, withKeyBindings } from '../ui/keys/table.js';
import type { ConfigFile } from './schema.js';
import { closest } from '../text/closest.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  /** The file read, or undefined when there is none (defaults only). */
  path?: string;
  config: ConfigFile;
}

/** `$XDG_CONFIG_HOME/umltop/config.toml`, XDG_CONFIG_HOME defaulting to ~/.config. */
export function defaultConfigPath(env: NodeJS.ProcessEnv): string {
  const base =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(env.HOME ?? '/root', '.config');
  return path.join(base, 'umltop', 'config.toml');
}

/**
 * Load the config: `explicit` (from --config) must exist; the default path may be absent.
 * `none` skips the file altogether (--no-config).
 */
export async function loadConfig(env: NodeJS.ProcessEnv, explicit?: string, none = false): Promise<LoadedConfig> {
  if (none) return { config: {} };
  const file = explicit ?? defaultConfigPath(env);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && explicit === undefined) return { config: {} };
    throw new ConfigError(`config ${file}: cannot read it (${code ?? (e as Error).message})`);
  }
  return { path: file, config: await parseConfig(text, file) };
}

/** Parse and validate config text. Throws ConfigError naming `file:line` and the key. */
export async function parseConfig(text: string, file: string): Promise<ConfigFile> {
  // The schema library is loaded only when there is a file to check.
  const { configSchema } = await import('./schema.js');
  let raw: unknown;
  try {
    raw = parseToml(text);
  } catch (e) {
    if (e instanceof TomlError) {
      const first = e.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '');
      throw new ConfigError(`config ${file}:${e.line}:${e.column}: not valid TOML: ${first}`);
    }
    throw e;
  }
  const flat = flattenKeys(raw);
  const result = configSchema.safeParse(flat);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      // An unknown key is reported on its parent: name the key itself.
      const keyPath = i.code === 'unrecognized_keys' ? [...i.path, i.keys[0]!] : i.path;
      const dotted = keyPath.filter((p) => typeof p === 'string').join('.');
      const line = locateKey(
        text,
        keyPath.filter((p): p is string => typeof p === 'string'),
      );
      const what =
        i.code === 'unrecognized_keys'
          ? unknownKey(configSchema, i.keys, i.path)
          : describeIssue(i, valueAt(flat, i.path));
      return `config ${file}${line ? `:${line}` : ''}: ${dotted || '(top level)'}: ${what}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const cfg = result.data;
  if (cfg.keys) {
    const { clashes } = withKeyBindings(ACTIONS, keyBindings(cfg));
    if (clashes.length) {
      const c = clashes[0]!;
      throw new ConfigError(`config ${file}:${locateKey(text, ['keys', c.id]) ?? '?'}: keys.${c.id}: ${c.message}`);
    }
  }
  return cfg;
}

/** `[keys]` may say `view.sort-cpu = "c"` (a nested table in TOML) or `"view.sort-cpu" = "c"`. */
function flattenKeys(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || !('keys' in raw)) return raw;
  const keys = (raw as { keys: unknown }).keys;
  if (!keys || typeof keys !== 'object' || Array.isArray(keys)) return raw;
  const flat: Record<string, unknown> = {};
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, `${prefix}${k}.`);
      else flat[`${prefix}${k}`] = v;
    }
  };
  walk(keys as Record<string, unknown>, '');
  return { ...raw, keys: flat };
}

/** Key overrides as lists. */
export function keyBindings(cfg: ConfigFile): Record<string, string[]> {
  return Object.fromEntries(Object.entries(cfg.keys ?? {}).map(([id, k]) => [id, Array.isArray(k) ? k : [k]]));
}

/** The action table with the config's key overrides (checked for clashes when the file was read). */
export function keyTable(cfg: ConfigFile): Action[] {
  return cfg.keys ? withKeyBindings(ACTIONS, keyBindings(cfg)).table : ACTIONS;
}

function describeIssue(i: { code: string; message: string; expected?: unknown }, value: unknown): string {
  const got = value === undefined || i.message.startsWith('no action') ? '' : `, got ${JSON.stringify(value)}`;
  if (i.code === 'invalid_type') return `expected ${String(i.expected)}${got}`;
  return `${i.message.replace(/^Invalid input: /, '')}${got}`;
}

function unknownKey(configSchema: { shape: Record<string, unknown> }, keys: string[], at: PropertyKey[]): string {
  let shape: Record<string, unknown> = configSchema.shape;
  for (const k of at)
    shape = (shape[k as string] as { unwrap?: () => { shape?: Record<string, unknown> } })?.unwrap?.()?.shape ?? {};
  const known = Object.keys(shape);
  const guess = closest(keys[0]!, known);
  return `unknown key${keys.length > 1 ? `s ${keys.map((k) => `'${k}'`).join(', ')}` : ''}${guess ? ` (did you mean '${guess}'?)` : known.length ? ` (known: ${known.join(', ')})` : ''}`;
}

function valueAt(root: unknown, keyPath: PropertyKey[]): unknown {
  let v = root;
  for (const k of keyPath) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/**
 * The line (1-based) where a dotted key is set in TOML text: `key = ` under its `[table]`, a dotted
 * `table.key = `, or failing that the table header. Best effort over the common shapes.
 */
export function locateKey(text: string, keyPath: string[]): number | undefined {
  const want = keyPath.join('.');
  let table: string[] = [];
  let headerLine: number | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?/.exec(line);
    if (header) {
      table = splitKey(header[1]!);
      const t = table.join('.');
      if (t === want || want.startsWith(`${t}.`)) headerLine = n + 1;
      continue;
    }
    const assign = /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.\- ]+?))\s*=/.exec(line);
    if (!assign) continue;
    const full = [...table, ...splitKey(assign[1]!)].join('.');
    if (full === want || want.startsWith(`${full}.`)) return n + 1;
  }
  return headerLine;
}

function splitKey(k: string): string[] {
  const out: string[] = [];
  for (const m of k.matchAll(/"([^"]*)"|'([^']*)'|([^.\s]+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}
