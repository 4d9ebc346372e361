// argv through node:util's parseArgs, driven by the one flag table (FlagSpec[]) that --help, the
// man page and the completion are made from. Flags may come before or after positionals; '--'
// ends flags; values that look negative ('-16M', '-1') are positionals or flag values, never flags.
import { parseArgs as utilParseArgs } from 'node:util';

export interface FlagSpec {
  /** Long name without dashes. */
  name: string;
  short?: string;
  takesValue?: boolean;
  repeatable?: boolean;
}

export interface ParsedArgs {
  flags: Map<string, string[]>;
  positionals: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

// A negative-looking word is hidden from util.parseArgs (which would take '-16M' for '-1 -6 -M') and
// given back afterwards; no argv word can hold a NUL.
const NEGATIVE = /^-\d/;
const HIDE = '\u0000';
const unhide = (v: string) => (v.startsWith(HIDE) ? v.slice(1) : v);

/**
 * Parse argv. When `stopAt` positionals have been seen, everything after is positional verbatim
 * (for `umltop mconsole UMID COMMAND...`, where COMMAND may contain anything).
 */
export function parseArgs(argv: string[], specs: FlagSpec[], opts: { stopAfterPositionals?: number } = {}): ParsedArgs {
  const options = Object.fromEntries(
    specs.map((s) => [
      s.name,
      {
        type: s.takesValue ? ('string' as const) : ('boolean' as const),
        multiple: true,
        ...(s.short ? { short: s.short } : {}),
      },
    ]),
  );
  const args = argv.map((a) => (NEGATIVE.test(a) ? HIDE + a : a));
  let head = args;
  let verbatim: string[] = [];
  if (opts.stopAfterPositionals !== undefined) {
    // where the Nth positional is: the rest is not parsed at all
    const { tokens } = utilParseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
    const nth = tokens.filter((t) => t.kind === 'positional' || t.kind === 'option-terminator')[
      opts.stopAfterPositionals - 1
    ];
    const cut = nth ? (nth.kind === 'positional' ? nth.index + 1 : nth.index) : args.length;
    if (nth?.kind === 'option-terminator') verbatim = args.slice(cut + 1);
    else verbatim = args.slice(cut);
    head = args.slice(0, cut);
  }
  let parsed: ReturnType<typeof utilParseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>;
  try {
    parsed = utilParseArgs({ args: head, options, strict: true, allowPositionals: true });
  } catch (e) {
    throw usageErrorOf(e as Error & { code?: string }, specs);
  }
  const flags = new Map<string, string[]>();
  for (const s of specs) {
    const got = (parsed.values as Record<string, Array<string | boolean> | undefined>)[s.name];
    if (!got?.length) continue;
    const values = got.map((v) => (typeof v === 'string' ? unhide(v) : 'true'));
    flags.set(s.name, s.repeatable ? values : values.slice(-1));
  }
  return { flags, positionals: [...parsed.positionals, ...verbatim].map(unhide) };
}

/** util.parseArgs's errors in umltop's words (the option's name as the user wrote it). */
function usageErrorOf(e: Error & { code?: string }, specs: FlagSpec[]): Error {
  const raw = /'(-[^' ]+)/.exec(e.message)?.[1];
  if (!raw) return e;
  const spec = specs.find((s) => `--${s.name}` === raw || `-${s.short}` === raw);
  const name = spec ? `--${spec.name}` : raw;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown option ${raw}`);
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(e.message)) return new UsageError(`${name} takes no value`);
    if (/ambiguous/.test(e.message))
      return new UsageError(`${name} needs a value (one starting with '-' is written ${name}=-VALUE)`);
    return new UsageError(`${name} needs a value`);
  }
  return e;
}

export function flag(parsed: ParsedArgs, name: string): string | undefined {
  return parsed.flags.get(name)?.at(-1);
}

export function flagList(parsed: ParsedArgs, name: string): string[] {
  return parsed.flags.get(name) ?? [];
}

export function seconds(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number of seconds, not '${value}'`);
  return n;
}
