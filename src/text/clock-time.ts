// Wall-clock time of day as HH:MM:SS (24 h) in a time zone. One formatter per zone, made once:
// `toLocaleTimeString` builds a new Intl formatter on every call, which showed in the TUI's
// profile at one call per event line per frame.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function clockTime(wallMs: number, timeZone?: string): string {
  const key = timeZone ?? '';
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit', ...(timeZone ? { timeZone } : {}) });
    formatters.set(key, f);
  }
  return f.format(wallMs);
}
