// Write man/umltop.1 and completion/umltop.bash from the code's own tables (flags, actions,
// config schema), so the man page, the completion and the program cannot drift apart.
// `--check`: exit 1 if the committed files differ from what would be written (a test runs this).
import fs from 'node:fs';
import path from 'node:path';
import { keyLabel } from '../dist/ui/keys/keymap.js';
import { ACTIONS } from '../dist/ui/keys/table.js';
import { GLOBAL_FLAGS } from '../dist/config/options.js';
import { BALANCE_HELP, PALETTE_KEYS, THRESHOLD_HELP } from '../dist/config/keys.js';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const SUBCOMMANDS = ['mconsole', 'mem', 'bundle', 'console', 'disk', 'tasks', 'replay', 'balance', 'serve', 'demo'];

/** roff-escape text: backslashes, leading dots/quotes, hyphens in option names. */
const ROFF = {
  '…': '...',
  '→': '\\(->',
  '←': '\\(<-',
  '—': '\\(em',
  '–': '\\(en',
  '×': '\\(mu',
  '−': '\\-',
  '↑': '\\(ua',
  '↓': '\\(da',
  '·': '\\(pc',
};
const esc = (s) =>
  String(s)
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .replace(/[^\x00-\x7f]/g, (c) => ROFF[c] ?? `\\[u${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}]`)
    .replace(/^([.'])/gm, '\\&$1');
const flagTerm = (f) =>
  `${f.short ? `\\fB\\-${f.short}\\fR, ` : ''}\\fB\\-\\-${esc(f.name)}\\fR${f.arg ? ` \\fI${f.arg}\\fR` : ''}`;

function man() {
  const o = [];
  const p = (...lines) => o.push(...lines);
  p(
    `.TH UMLTOP 1 "" "umltop ${pkg.version}" "User Commands"`,
    '.SH NAME',
    'umltop \\- watch and steer live User Mode Linux instances',
    '.SH SYNOPSIS',
    '.B umltop',
    '[\\fIoptions\\fR]',
    '.br',
    '.B umltop',
    '\\fB\\-\\-once\\fR|\\fB\\-\\-batch\\fR [\\fB\\-n\\fR \\fIN\\fR] [\\fB\\-\\-json\\fR|\\fB\\-\\-csv\\fR]',
    '.br',
    '.B umltop mconsole',
    '[\\fB\\-\\-uml\\-dir\\fR \\fIDIR\\fR] \\fIUMID\\fR|\\fISOCKET\\fR \\fICOMMAND\\fR...',
    '.br',
    '.B umltop mem',
    '[\\fB\\-\\-yes\\fR] \\fIUMID\\fR \\fB+\\fR\\fIN\\fR|\\fB\\-\\fR\\fIN\\fR',
    '.br',
    '.B umltop bundle',
    '\\fIUMID\\fR',
    '.br',
    '.B umltop console',
    '[\\fB\\-\\-switch\\fR] \\fIUMID\\fR [\\fILINE\\fR]',
    '.br',
    '.B umltop disk',
    '\\fIUMID\\fR \\fBlist\\fR|\\fBadd\\fR \\fIubdN\\fR \\fIFILE\\fR [\\fB\\-\\-ro\\fR]|\\fBremove\\fR \\fIubdN\\fR',
    '.br',
    '.B umltop tasks',
    '[\\fB\\-\\-json\\fR] \\fIUMID\\fR',
    '.br',
    '.B umltop replay',
    '\\fIFILE\\fR [\\fB\\-\\-json\\fR|\\fB\\-\\-csv\\fR|\\fB\\-\\-batch\\fR]',
    '.br',
    '.B umltop balance',
    '[\\fB\\-\\-once\\fR] [\\fB\\-\\-apply\\fR] [\\fB\\-\\-json\\fR] [\\fB\\-n\\fR \\fIROUNDS\\fR]',
    '.br',
    '.B umltop serve',
    '\\fB\\-\\-metrics\\fR \\fIADDR\\fR:\\fIPORT\\fR [\\fB\\-\\-web\\-config\\fR \\fIFILE\\fR]',
    '.br',
    '.B umltop demo',
    '.SH DESCRIPTION',
    esc(
      "umltop shows every UML instance found in the watched uml dirs (default ~/.uml): the host's view of its processes (/proc: CPU, RSS, the guest-RAM file) beside the guest's own view through its management console (mconsole: proc stat, meminfo, interrupts, softirqs, vmstat, loadavg). It hot-plugs guest memory, pauses and resumes guests, runs sysrq and mconsole commands, collects crash bundles, records sessions for replay, exports Prometheus metrics and watches other hosts over ssh.",
    ),
    '.PP',
    esc(
      'Without --once or --batch and on a terminal, umltop draws the interactive view; otherwise it prints reports. Guest text is untrusted: control characters are stripped before anything reaches the terminal.',
    ),
    '.SH COMMANDS',
    '.TP',
    '.B mconsole',
    esc(
      'Send one mconsole command (help, version, proc FILE, config, stop, go, sysrq X, cad, halt, reboot, stack PID, log TEXT) and print the answer; long answers are reassembled from many packets.',
    ),
    '.TP',
    '.B mem',
    esc(
      'Hot-unplug (-N) or give back (+N) guest memory with config mem=; N like 64M or 1G, in 64 MiB steps. Refuses to take what the guest cannot spare (MemAvailable margin) and keeps a ledger of what it took.',
    ),
    '.TP',
    '.B bundle',
    esc(
      'Collect a crash bundle: sysrq t/w/m, proc meminfo and interrupts, host /proc/PID/stack and status of every thread, and the recent history, into one timestamped directory.',
    ),
    '.TP',
    '.B console',
    esc(
      'Attach the terminal to a guest console line (the first on a pts the guest opened, or LINE: con1, ssl0, ...), raw in both directions; ctrl-] detaches. With no such line it lists the lines and what each is connected to, and offers to switch an unopened one to pts (--switch: without asking). Refused under --read-only.',
    ),
    '.TP',
    '.B disk',
    esc(
      "List, hot-add (config ubdN=FILE, --ro read-only) or remove (remove ubdN) a guest's disks. Before anything is written: the file exists with the access asked, no live UML instance uses it (open or on its command line), the slot is free (or, to remove, taken). After: the guest's diskstats shows the device, or no longer does. Journaled; refused under --read-only.",
    ),
    '.TP',
    '.B tasks',
    esc(
      "The guest's tasks from sysrq t (pid, parent, state, name, where each waits), uninterruptible (D) first and marked; read from the instance's console log file when it has one, else from the reply. Exit 3 when fewer tasks were read than the guest counts.",
    ),
    '.TP',
    '.B replay',
    esc(
      'Replay a --record file: in the view (keys p . > < for pause, step, faster, slower) or as the reports the recorded run printed.',
    ),
    '.TP',
    '.B balance',
    esc(
      "Move memory to the guests that need it: a round every [balance] every seconds, each guest's decision (grow, shrink or hold, with the reason and the signals) a line, or a JSON object with --json. A guest is pressed when its reclaim stalls, refaults, major faults, swap-ins or OOM kills pass their limits; a pressed guest grows by what was unplugged from it, up to what the host has over its reserve; under the reserve, the idlest ok guests shrink, never below their floor. A dry run unless --apply; each move goes through the hotplug checks, the ledger and the journal.",
    ),
    '.TP',
    '.B serve',
    esc(
      'Run the collectors without a screen and serve GET /metrics in the Prometheus text format (OpenMetrics when the scraper asks for it). ADDR:PORT, [IPv6]:PORT or :PORT (every address). --web-config FILE: TLS and basic auth from a web configuration file in the format of the Prometheus exporter toolkit (tls_server_config: cert_file, key_file, client_auth_type, client_ca_file, min_version, max_version; basic_auth_users: user: bcrypt hash; http_server_config: headers); a bad file is an error naming its key. contrib/prometheus holds alerting rules and their promtool tests, contrib/systemd a unit for it.',
    ),
    '.TP',
    '.B demo',
    esc(
      'Boot a demo fleet of real UML instances (busybox over hostfs) and show umltop on them; the fleet is halted on exit.',
    ),
    '.SH OPTIONS',
  );
  for (const f of GLOBAL_FLAGS) p('.TP', flagTerm(f), esc(f.help));
  p(
    '.SH KEYS',
    esc(
      "One table drives the keys, the help screen (?) and the footer. Keys can be changed in the config file's [keys] table, by action id.",
    ),
  );
  for (const a of ACTIONS)
    p(
      '.TP',
      `${a.keys.map((k) => `\\fB${esc(keyLabel(k, true))}\\fR`).join(', ')}  (\\fI${esc(a.id)}\\fR)`,
      esc(a.description + (a.write ? ' [writes; not in --read-only]' : '')),
    );
  p(
    '.SH CONFIGURATION',
    esc(
      '$XDG_CONFIG_HOME/umltop/config.toml (~/.config/umltop/config.toml when XDG_CONFIG_HOME is unset), or --config FILE. TOML; every key is optional; flags win over the file. A bad file is one error naming the file, line and key. umltop --print-config prints the effective settings, each with where it came from.',
    ),
    '.PP',
    'Top-level keys:',
    '.TP',
    '.B uml_dirs',
    'list of uml dirs to watch',
    '.TP',
    '.B interval, timeout, auto_resume',
    'seconds',
    '.TP',
    '.B nice',
    'the TUI\\(aqs nice value, \\-20 to 19 (default \\-5 when started at 0 and allowed; 0 keeps it)',
    '.TP',
    '.B read_only, color, ascii, all_users',
    'booleans',
    '.TP',
    '.B notify_socket',
    'path',
    '.TP',
    '.B hosts',
    'list of ssh destinations (as \\-\\-host)',
    '.TP',
    '.B ssh, remote_umltop',
    'commands (as \\-\\-ssh, \\-\\-remote\\-umltop)',
    '.PP',
    '\\fB[thresholds]\\fR (alerts):',
  );
  for (const [k, v] of Object.entries(THRESHOLD_HELP)) p('.TP', `.B ${k}`, esc(v));
  p('.PP', '\\fB[balance]\\fR (the memory balancer, umltop balance):');
  for (const [k, v] of Object.entries(BALANCE_HELP)) p('.TP', `.B ${k}`, esc(v));
  p(
    '.PP',
    `\\fB[theme]\\fR: colours (a name such as cyan or redBright, or #rrggbb) for ${PALETTE_KEYS.join(', ')}.`,
    '.PP',
    '\\fB[keys]\\fR: action id = "key" or ["key", ...], e.g. \\fBview.sort\\-cpu = "c"\\fR. A key that another action already uses in the same view is an error.',
    '.SH ALERTS',
    esc(
      'host-cpu, low-memory, oom-kill, irq-storm, unresponsive, died, paused-long: shown as a marker in the table (! m i c = ~ ?), in the events pane, in batch output (events, alerts) and as umltop_alert_active in the metrics.',
    ),
    '.SH ENVIRONMENT',
    '.TP',
    '.B XDG_CONFIG_HOME',
    'where the config file is looked for.',
    '.TP',
    '.B XDG_RUNTIME_DIR',
    esc("parent of umltop's private (0700) runtime dir for its client sockets and the default notify socket."),
    '.TP',
    '.B NO_COLOR',
    'no colours.',
    '.TP',
    '.B HOME',
    'the default uml dir is ~/.uml.',
    '.SH FILES',
    '.TP',
    '.I ~/.uml/UMID/{pid,mconsole}',
    'what UML writes per instance; umltop reads them.',
    '.TP',
    '.I $XDG_STATE_HOME/umltop/ (~/.local/state/umltop/)',
    esc('ledger/ (what umltop unplugged), journal.jsonl (every writing action), bundles/ (crash bundles).'),
    '.SH EXIT STATUS',
    '0 on success, 1 on failure, 2 on a usage or config error; 130/143/129 after SIGINT/SIGTERM/SIGHUP (the terminal is restored first).',
    '.SH EXAMPLES',
    '.nf',
    'umltop',
    "umltop \\-\\-once \\-\\-json | jq '.instances[] | {umid, state}'",
    'umltop mem vm1 \\-128M',
    'umltop \\-\\-host ops@hostA \\-\\-host ops@hostB',
    'umltop serve \\-\\-metrics 127.0.0.1:9464',
    'linux.uml umid=vm1 mconsole=notify:$XDG_RUNTIME_DIR/umltop\\-$UID/notify ...',
    '.fi',
    '.SH SEE ALSO',
    '\\fBuml_mconsole\\fR(1), \\fBtop\\fR(1), \\fBhtop\\fR(1), \\fBprometheus\\fR(1)',
  );
  return `${o.join('\n')}\n`;
}

function completion() {
  const flags = GLOBAL_FLAGS.flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]);
  const withValue = GLOBAL_FLAGS.filter((f) => f.takesValue).flatMap((f) => [
    `--${f.name}`,
    ...(f.short ? [`-${f.short}`] : []),
  ]);
  const files = [...GLOBAL_FLAGS.filter((f) => f.files).map((f) => `--${f.name}`), '--web-config'];
  return `# bash completion for umltop (generated by scripts/gen-docs.mjs from the flag table)
# Install: copy to /usr/share/bash-completion/completions/umltop, or source it from ~/.bashrc.
_umltop_umids() {
  local dir d
  local -a dirs=()
  local i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ \${COMP_WORDS[i]} == --uml-dir ]] && dirs+=("\${COMP_WORDS[i+1]}")
  done
  [[ \${#dirs[@]} -eq 0 ]] && dirs=("\${HOME}/.uml")
  for dir in "\${dirs[@]}"; do
    for d in "\${dir}"/*/; do
      [[ -e \${d}mconsole || -e \${d}pid ]] && basename "\${d}"
    done
  done
}

_umltop() {
  local cur prev sub i
  cur=\${COMP_WORDS[COMP_CWORD]}
  prev=\${COMP_WORDS[COMP_CWORD-1]}
  sub=
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      ${SUBCOMMANDS.join('|')}) sub=\${COMP_WORDS[i]}; break ;;
    esac
  done
  case $prev in
    ${files.join('|')}) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
    --host) if declare -F _known_hosts_real >/dev/null; then _known_hosts_real -- "$cur"; fi; return ;;
    --metrics) mapfile -t COMPREPLY < <(compgen -W "127.0.0.1:9464 :9464" -- "$cur"); return ;;
    ${withValue.filter((f) => !files.includes(f) && f !== '--host').join('|')}) return ;;
  esac
  if [[ $cur == -* ]]; then
    local extra=
    [[ $sub == serve ]] && extra="--metrics --web-config"
    [[ $sub == mem ]] && extra="--yes --step"
    [[ $sub == balance ]] && extra="--apply"
    [[ $sub == console ]] && extra="--switch"
    [[ $sub == disk ]] && extra="--ro"
    mapfile -t COMPREPLY < <(compgen -W "${flags.join(' ')} $extra" -- "$cur")
    return
  fi
  case $sub in
    '') mapfile -t COMPREPLY < <(compgen -W "${SUBCOMMANDS.join(' ')}" -- "$cur") ;;
    mconsole|mem|bundle|console|disk|tasks)
      # the first positional after the subcommand is a umid
      local n=0
      for ((i = 1; i < COMP_CWORD; i++)); do
        [[ \${COMP_WORDS[i]} == -* || \${COMP_WORDS[i]} == "$sub" ]] && continue
        case \${COMP_WORDS[i-1]} in ${withValue.join('|')}) continue ;; esac
        n=$((n + 1))
      done
      if [[ $n -eq 0 ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_umltop_umids)" -- "$cur")
      elif [[ $sub == mconsole && $n -eq 1 ]]; then
        mapfile -t COMPREPLY < <(compgen -W "help version proc config stop go sysrq cad halt reboot stack log" -- "$cur")
      elif [[ $sub == mem && $n -eq 1 ]]; then
        mapfile -t COMPREPLY < <(compgen -W "-64M +64M -128M +128M" -- "$cur")
      elif [[ $sub == console && $n -eq 1 ]]; then
        mapfile -t COMPREPLY < <(compgen -W "con1 con2 ssl0 ssl1" -- "$cur")
      elif [[ $sub == disk && $n -eq 1 ]]; then
        mapfile -t COMPREPLY < <(compgen -W "list add remove" -- "$cur")
      elif [[ $sub == disk && $n -eq 2 ]]; then
        mapfile -t COMPREPLY < <(compgen -W "ubdb ubdc ubdd ubde" -- "$cur")
      elif [[ $sub == disk && $n -eq 3 ]]; then
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      fi ;;
    replay) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
  esac
}
complete -F _umltop umltop
`;
}

const outputs = { 'man/umltop.1': man(), 'completion/umltop.bash': completion() };
let stale = 0;
for (const [rel, text] of Object.entries(outputs)) {
  const file = path.join(root, rel);
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (process.argv.includes('--check')) {
    if (old !== text) {
      console.error(`${rel} is out of date: run node scripts/gen-docs.mjs`);
      stale++;
    }
  } else {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}
process.exit(stale ? 1 : 0);
