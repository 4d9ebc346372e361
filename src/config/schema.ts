// The config file's schema (zod). TOML was chosen over JSON (no comments) and YAML (indentation
// and implicit typing: `no` becomes false, `1:30` a number): a sysadmin edits this over SSH in vi.
// Keys are snake_case; every one is optional, and a flag on the command line wins over it.
import { z } from 'zod';
import { isKeyName } from '../ui/keys/keymap.js';
import { ACTIONS } from '../ui/keys/table.js';
import { closest } from '../text/closest.js';
import { BALANCE_HELP, INK_COLORS, isSshDestination, PALETTE_KEYS, THRESHOLD_HELP } from './keys.js';

const color = z.string().refine((c) => INK_COLORS.includes(c) || /^#[0-9a-fA-F]{6}$/.test(c), {
  message: `a colour name (${INK_COLORS.slice(0, 9).join(', ')}, …Bright) or #rrggbb`,
});

const percent = z.number().min(0).max(100);
const seconds = z.number().positive();

const THRESHOLD_KEYS = {
  host_cpu_percent: percent.describe(THRESHOLD_HELP.host_cpu_percent),
  host_cpu_seconds: seconds.describe(THRESHOLD_HELP.host_cpu_seconds),
  mem_available_percent: percent.describe(THRESHOLD_HELP.mem_available_percent),
  storm_per_sec: seconds.describe(THRESHOLD_HELP.storm_per_sec),
  storm_factor: z.number().min(1).describe(THRESHOLD_HELP.storm_factor),
  storm_floor: z.number().min(0).describe(THRESHOLD_HELP.storm_floor),
  paused_seconds: seconds.describe(THRESHOLD_HELP.paused_seconds),
  io_stall_seconds: seconds.describe(THRESHOLD_HELP.io_stall_seconds),
  disk_free_percent: percent.describe(THRESHOLD_HELP.disk_free_percent),
  net_errors: z.number().min(1).describe(THRESHOLD_HELP.net_errors),
  net_errors_seconds: seconds.describe(THRESHOLD_HELP.net_errors_seconds),
};

const keyBinding = z.string().refine(isKeyName, {
  message:
    'a key: one character, or up, down, left, right, home, end, pageup, pagedown, enter, escape, space, tab, shift+tab, backspace, ctrl+X',
});

const actionIds = new Set(ACTIONS.map((a) => a.id));

export const configSchema = z.strictObject({
  uml_dirs: z.array(z.string().min(1)).min(1).optional(),
  all_users: z.boolean().optional(),
  interval: z.number().min(0.1).optional(),
  timeout: seconds.optional(),
  quiet_max_age: seconds.optional(),
  full_rate: z.boolean().optional(),
  read_only: z.boolean().optional(),
  auto_resume: seconds.optional(),
  notify_socket: z.string().min(1).optional(),
  color: z.boolean().optional(),
  ascii: z.boolean().optional(),
  io: z.boolean().optional(),
  nice: z.number().int().min(-20).max(19).optional(),
  ssh: z.string().min(1).optional(),
  remote_umltop: z.string().min(1).optional(),
  hosts: z.array(z.string().refine(isSshDestination, { message: 'an ssh destination such as user@host' })).optional(),
  thresholds: z
    .strictObject(
      Object.fromEntries(Object.entries(THRESHOLD_KEYS).map(([k, v]) => [k, v.optional()])) as {
        [K in keyof typeof THRESHOLD_KEYS]: z.ZodOptional<(typeof THRESHOLD_KEYS)[K]>;
      },
    )
    .optional(),
  // the memory balancer (`umltop balance`, and `umltop serve` with serve = "dry-run" or "apply")
  balance: z
    .strictObject({
      every: seconds.describe(BALANCE_HELP.every).optional(),
      step_mib: z.number().int().min(1).describe(BALANCE_HELP.step_mib).optional(),
      min_move_mib: z.number().int().min(1).describe(BALANCE_HELP.min_move_mib).optional(),
      cooldown: seconds.describe(BALANCE_HELP.cooldown).optional(),
      hold_after_grow: z.number().min(0).describe(BALANCE_HELP.hold_after_grow).optional(),
      floor_percent: percent.describe(BALANCE_HELP.floor_percent).optional(),
      min_free_percent: percent.describe(BALANCE_HELP.min_free_percent).optional(),
      host_reserve_mib: z.number().int().min(0).describe(BALANCE_HELP.host_reserve_mib).optional(),
      moves_per_minute: z.number().int().min(1).describe(BALANCE_HELP.moves_per_minute).optional(),
      exclude: z.array(z.string().min(1)).describe(BALANCE_HELP.exclude).optional(),
      serve: z.enum(['off', 'dry-run', 'apply']).describe(BALANCE_HELP.serve).optional(),
    })
    .optional(),
  keys: z
    .record(z.string(), z.union([keyBinding, z.array(keyBinding).min(1)]))
    .superRefine((rec, ctx) => {
      for (const id of Object.keys(rec)) {
        if (!actionIds.has(id)) {
          const guess = closest(id, [...actionIds]);
          ctx.addIssue({
            code: 'custom',
            path: [id],
            message: `no action '${id}'${guess ? ` (did you mean '${guess}'?)` : ''}; \`umltop --print-config\` lists them all`,
          });
        }
      }
    })
    .optional(),
  theme: z
    .strictObject(
      Object.fromEntries(PALETTE_KEYS.map((k) => [k, color.optional()])) as Record<
        (typeof PALETTE_KEYS)[number],
        z.ZodOptional<typeof color>
      >,
    )
    .optional(),
});

export type ConfigFile = z.infer<typeof configSchema>;
