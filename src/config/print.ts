// `umltop --print-config`: the effective settings as a config file one could save, each line
// saying where its value came from (default, file or flag).
import { stringify } from 'smol-toml';
import { ACTIONS } from '../ui/keys/table.js';
import type { GlobalOptions } from './options.js';
import { DEFAULT_PALETTE } from '../ui/theme.js';
import { PALETTE_KEYS, THRESHOLD_HELP } from './keys.js';

export function printConfig(o: GlobalOptions): string {
  const out: string[] = [
    `# umltop effective configuration (${o.configPath ? `file: ${o.configPath}` : 'no config file: defaults'})`,
    '# flags > file > defaults',
    '',
  ];
  const line = (key: string, value: unknown, origin?: string) => {
    out.push(`${stringify({ [key]: value }).trim()}${origin ? `  # ${origin}` : ''}`);
  };
  const top: [string, unknown][] = [
    ['uml_dirs', o.umlDirs],
    ['interval', o.intervalMs / 1000],
    ['timeout', o.timeoutMs / 1000],
    ['full_rate', o.quietMaxAgeMs === 0],
    ['read_only', o.readOnly],
    ['color', !o.noColor],
    ['ascii', o.ascii],
    ['io', o.io],
    ['hosts', o.hosts],
    ['ssh', o.ssh.join(' ')],
    ['remote_umltop', o.remoteUmltop],
  ];
  for (const [k, v] of top) line(k, v, o.origins[k]);
  if (o.quietMaxAgeMs) line('quiet_max_age', o.quietMaxAgeMs / 1000, o.origins.quiet_max_age);
  else out.push('# quiet_max_age = 5  # not used with full_rate');
  if (o.autoResumeMs !== undefined) line('auto_resume', o.autoResumeMs / 1000, o.origins.auto_resume);
  else out.push('# auto_resume = 60  # off (default)');
  if (o.nice !== undefined) line('nice', o.nice, o.origins.nice);
  else out.push('# nice = -5  # the TUI, when started at 0 and allowed (default)');
  if (o.notifySocket !== undefined) line('notify_socket', o.notifySocket, o.origins.notify_socket);
  else out.push('# notify_socket = "<runtime dir>/notify"  # default');
  out.push('', '[thresholds]');
  const t = o.thresholds;
  const values: Record<keyof typeof THRESHOLD_HELP, number> = {
    host_cpu_percent: t.hostCpuPercent,
    host_cpu_seconds: t.hostCpuForMs / 1000,
    mem_available_percent: t.memAvailablePercent,
    storm_per_sec: t.stormPerSec,
    storm_factor: t.stormFactor,
    storm_floor: t.stormFloor,
    paused_seconds: t.pausedForMs / 1000,
    io_stall_seconds: t.ioStallMs / 1000,
    disk_free_percent: t.diskFreePercent,
    net_errors: t.netErrors,
    net_errors_seconds: t.netErrorsForMs / 1000,
  };
  for (const [k, v] of Object.entries(values))
    line(k, v, `${o.origins[`thresholds.${k}`] ?? 'default'}: ${THRESHOLD_HELP[k as keyof typeof THRESHOLD_HELP]}`);
  out.push('', '[balance]  # the memory balancer: umltop balance (README, Memory pressure)');
  const b = o.balance;
  line('every', o.balanceEveryMs / 1000);
  line('step_mib', b.stepKiB / 1024);
  line('min_move_mib', b.minMoveKiB / 1024);
  line('cooldown', b.cooldownMs / 1000);
  line('hold_after_grow', b.holdAfterGrowMs / 1000);
  line('floor_percent', b.floorPercent);
  line('min_free_percent', b.minFreePercent);
  if (b.hostReserveKiB !== undefined) line('host_reserve_mib', b.hostReserveKiB / 1024);
  else out.push("# host_reserve_mib = ...  # default: 10 % of the host's MemTotal");
  line('moves_per_minute', b.movesPerMinute);
  line('exclude', b.exclude);
  line('serve', o.balanceInServe);
  out.push('', '[theme]');
  for (const k of PALETTE_KEYS) line(k, o.palette[k] ?? DEFAULT_PALETTE[k], o.palette[k] ? 'file' : 'default');
  out.push('', '[keys]  # action id = key or [keys]');
  for (const a of ACTIONS) line(a.id, o.keys[a.id] ?? a.keys, o.keys[a.id] ? 'file' : undefined);
  return `${out.join('\n')}\n`;
}
