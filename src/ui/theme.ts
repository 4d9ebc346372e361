// Colours and glyphs. With NO_COLOR / --no-color every colour is dropped (meaning is never
// carried by colour alone: states are words, alerts are symbols, selection has a marker).
import type { InstanceState } from '../state/liveness.js';

export interface Theme {
  color: boolean;
  ascii: boolean;
  border: 'round' | 'classic';
  selectMark: string;
  /** Separator in titles ("CPU · web-1"). */
  dot: string;
  times: string;
  c(name: keyof typeof DEFAULT_PALETTE): string | undefined;
  state(s: InstanceState): string | undefined;
}

export const DEFAULT_PALETTE = {
  host: 'cyan',
  guest: 'magenta',
  ok: 'green',
  warn: 'yellow',
  bad: 'red',
  dim: 'gray',
  accent: 'blue',
  title: 'white',
} as const;
type Palette = Record<keyof typeof DEFAULT_PALETTE, string>;

/** `palette` overrides some colours (the config file's [theme]). */
export function makeTheme(opts: { color: boolean; ascii: boolean; palette?: Partial<Palette> }): Theme {
  const PALETTE: Palette = { ...DEFAULT_PALETTE, ...opts.palette };
  return {
    color: opts.color,
    ascii: opts.ascii,
    border: opts.ascii ? 'classic' : 'round',
    selectMark: opts.ascii ? '>' : '▶',
    dot: opts.ascii ? '-' : '·',
    times: opts.ascii ? 'x' : '×',
    c: (name) => (opts.color ? PALETTE[name] : undefined),
    state: (s) => {
      if (!opts.color) return undefined;
      return s === 'running'
        ? PALETTE.ok
        : s === 'stopped'
          ? PALETTE.warn
          : s === 'invalid'
            ? PALETTE.dim
            : PALETTE.bad;
    },
  };
}

/**
 * The colour depth of the terminal when CI in the environment is what made chalk choose none
 * (supports-color answers 0 under CI=true whatever the terminal is); else 0, chalk's answer.
 */
export function colourDepthUnderCi(env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (!isTTY || !('CI' in env) || 'FORCE_COLOR' in env || env.TERM === 'dumb' || !env.TERM) return 0;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 3;
  return /-256(color)?$/i.test(env.TERM) ? 2 : 1;
}
