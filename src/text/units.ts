// Byte sizes and byte rates in a few columns, binary units as the rest of umltop (512K, 63.8M, 1.2G).

/** 0, 512B, 12K, 3.4M, 1.2G: at most five characters up to 99.9G. */
export function fmtBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return '-';
  const a = Math.abs(bytes);
  const sign = bytes < 0 ? '-' : '';
  if (a === 0) return '0';
  if (a < 1024) return `${sign}${Math.round(a)}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let v = a / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${sign}${v < 10 ? v.toFixed(1) : Math.round(v)}${units[i]}`;
}
