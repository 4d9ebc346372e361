// A small argv reader: flags may come before or after positionals; '--' ends flags; values that
// look negative ('-16M') are positionals unless they follow a flag that takes a value.
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

/**
 * Parse argv. When `stopAt` positionals have been seen, everything after is positional verbatim
 * (for `umltop mconsole UMID COMMAND...`, where COMMAND may contain anything).
 */
export function parseArgs(argv: string[], specs: FlagSpec[], opts: { stopAfterPositionals?: number } = {}): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (opts.stopAfterPositionals !== undefined && positionals.length >= opts.stopAfterPositionals) {
      positionals.push(...argv.slice(i));
      break;
    }
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      if (eq !== -1) inline = arg.slice(eq + 1);
      spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown option --${name}`);
    } else if (/^-[A-Za-z]/.test(arg) && !/^-\d/.test(arg)) {
      spec = byShort.get(arg.slice(1, 2));
      if (!spec) throw new UsageError(`unknown option ${arg}`);
      if (arg.length > 2) inline = arg.slice(2);
    } else {
      positionals.push(arg);
      continue;
    }
    let value = 'true';
    if (spec.takesValue) {
      if (inline !== undefined) value = inline;
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw new UsageError(`--${spec.name} needs a value`);
    } else if (inline !== undefined) {
      throw new UsageError(`--${spec.name} takes no value`);
    }
    const list = flags.get(spec.name) ?? [];
    if (list.length > 0 && !spec.repeatable) list.length = 0;
    list.push(value);
    flags.set(spec.name, list);
  }
  return { flags, positionals };
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
