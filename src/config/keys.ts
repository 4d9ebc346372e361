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

/** An ssh destination (user@host, host), never something ssh would parse as an option (-oProxyCommand=…). */
export const isSshDestination = (h: string): boolean => /^[^\s-][^\s]*$/.test(h);

export const PALETTE_KEYS = ['host', 'guest', 'ok', 'warn', 'bad', 'dim', 'accent', 'title'] as const;
