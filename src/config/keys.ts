// What the config file's keys mean, without the schema library (which is loaded only when there
// is a file to check: importing zod costs ~75 ms of start-up).
export const INK_COLORS = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'gray',
  'grey',
  'blackBright',
  'redBright',
  'greenBright',
  'yellowBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
  'whiteBright',
];

export const THRESHOLD_HELP = {
  host_cpu_percent: 'host CPU % of one instance that raises "host-cpu"…',
  host_cpu_seconds: '…when it holds this long',
  mem_available_percent: 'guest MemAvailable under this % of MemTotal',
  storm_per_sec: 'interrupts/s on one line that is a storm (softirqs: 4×)',
  storm_factor: "or this many times the line's own median…",
  storm_floor: '…when over this rate',
  paused_seconds: 'paused (mconsole stop) longer than this',
  io_stall_seconds: 'a disk with I/Os in flight and none completing this long ("io-stall")',
  disk_free_percent: "the filesystem under a disk's file with less than this % free",
  net_errors: 'this many errors and drops on one interface…',
  net_errors_seconds: '…within this long',
} as const;

export const BALANCE_HELP = {
  every: 'seconds between rounds (default 10)',
  step_mib: 'the most one move takes or gives, MiB (default 64)',
  min_move_mib: 'smaller moves are not made, MiB (default 8)',
  cooldown: 'seconds: no move of a guest within this long of its last (default 30)',
  hold_after_grow: 'seconds: a guest that was grown is not shrunk for this long (default 300)',
  floor_percent: 'never below this % of its size (default 50)',
  min_free_percent: 'never leave MemAvailable under this % (default 20)',
  host_reserve_mib: "the host's MemAvailable kept, MiB (default 10 % of its MemTotal)",
  moves_per_minute: 'moves over the fleet (default 6)',
  exclude: 'umids never touched',
  serve: '"off", "dry-run" or "apply": run it inside umltop serve (default off)',
} as const;

/** An ssh destination (user@host, host), never something ssh would parse as an option (-oProxyCommand=…). */
export const isSshDestination = (h: string): boolean => /^[^\s-][^\s]*$/.test(h);

export const PALETTE_KEYS = ['host', 'guest', 'ok', 'warn', 'bad', 'dim', 'accent', 'title'] as const;
