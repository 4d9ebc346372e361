// /proc/PID/net/dev → the counters of the named interfaces (the process's own network namespace
// lists every interface in it: with many taps, only the wanted lines are parsed).
import { uint } from './parse-util.js';

export interface NetCounters {
  rxBytes: number;
  rxPackets: number;
  rxErrors: number;
  rxDropped: number;
  txBytes: number;
  txPackets: number;
  txErrors: number;
  txDropped: number;
}

/** `name: rxbytes rxpackets rxerrs rxdrop fifo frame compressed multicast txbytes txpackets txerrs txdrop ...` */
export function parseNetDev(text: string, names: readonly string[]): Map<string, NetCounters> {
  const out = new Map<string, NetCounters>();
  for (const name of names) {
    let at = -1;
    for (let from = 0; ; ) {
      const i = text.indexOf(`${name}:`, from);
      if (i === -1) break;
      // the name starts a line (after blanks) and is not the tail of a longer one
      let j = i - 1;
      while (j >= 0 && text[j] === ' ') j--;
      if (j < 0 || text[j] === '\n') {
        at = i + name.length + 1;
        break;
      }
      from = i + 1;
    }
    if (at === -1) continue;
    const end = text.indexOf('\n', at);
    const n = text
      .slice(at, end === -1 ? text.length : end)
      .trim()
      .split(/\s+/)
      .map(uint);
    if (n.length < 12 || n.slice(0, 12).some((x) => x === undefined)) continue;
    out.set(name, {
      rxBytes: n[0]!,
      rxPackets: n[1]!,
      rxErrors: n[2]!,
      rxDropped: n[3]!,
      txBytes: n[8]!,
      txPackets: n[9]!,
      txErrors: n[10]!,
      txDropped: n[11]!,
    });
  }
  return out;
}

/** A /dev/net/tun descriptor's fdinfo names its interface: `iff:\ttap0`. */
export function tunInterface(fdinfo: string): string | undefined {
  const m = /^iff:\s*(\S+)\s*$/m.exec(fdinfo);
  return m && /^[\x21-\x7e]{1,15}$/.test(m[1]!) ? m[1] : undefined;
}

/**
 * The guest interface behind each tap, from the kernel's command line: the vector driver's
 * `vecN:transport=tap,ifname=TAP` and the old `ethN=tuntap,TAP`.
 */
export function guestInterfaces(cmdline: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const arg of cmdline) {
    const vec = /^(vec\d+):(.*)$/.exec(arg);
    const tap = vec && /(?:^|,)ifname=([^,]+)/.exec(vec[2]!);
    if (vec && tap && /(?:^|,)transport=tap(?:,|$)/.test(vec[2]!)) out.set(tap[1]!, vec[1]!);
    const eth = /^(eth\d+)=tuntap,([^,]+)/.exec(arg);
    if (eth) out.set(eth[2]!, eth[1]!);
  }
  return out;
}
