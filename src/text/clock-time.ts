// Wall-clock time of day as HH:MM:SS (24 h), local or in a named time zone. The local time and
// UTC come from Date's own fields: an Intl formatter loads ICU's locale and zone data (megabytes
// of resident memory), and `toLocaleTimeString` builds a formatter per call. Other zones (tests,
// replays) use one cached Intl formatter per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
const two = (n: number) => (n < 10 ? `0${n}` : String(n));

export function clockTime(wallMs: number, timeZone?: string): string {
  const d = new Date(wallMs);
  if (timeZone === undefined) return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  if (timeZone === 'UTC') return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      hour12: false,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZone,
    });
    formatters.set(timeZone, f);
  }
  return f.format(wallMs);
}
