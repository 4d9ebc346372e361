// Turn a tmux `capture-pane -p -e` capture (text with SGR escapes) into a standalone HTML page
// that looks like the terminal, for screenshots. Usage: node ansi-to-html.mjs capture.txt out.html [title]
import fs from 'node:fs';

const [input, output, title = 'umltop'] = process.argv.slice(2);
const text = fs.readFileSync(input, 'utf8');
const BASIC = ['#1d1f21', '#cc6666', '#8aa66b', '#e0b050', '#6b8fc0', '#b07cc0', '#5fb0b0', '#c5c8c6'];
const BRIGHT = ['#808080', '#ff7b7b', '#a8d08d', '#f5d070', '#8fb0e0', '#d0a0e0', '#80d0d0', '#ffffff'];
const x256 = (n) => {
  if (n < 8) return BASIC[n];
  if (n < 16) return BRIGHT[n - 8];
  if (n < 232) {
    const c = n - 16;
    const v = (k) => (k ? 55 + k * 40 : 0);
    return `rgb(${v(Math.floor(c / 36))},${v(Math.floor(c / 6) % 6)},${v(c % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g},${g},${g})`;
};
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
// Glyphs the monospace font lacks (braille, blocks) come from fallback fonts of other widths:
// pin every non-ASCII character to exactly one cell so columns line up as in the terminal.
const cells = (s) =>
  [...s].map((ch) => (ch.charCodeAt(0) < 128 ? esc(ch) : `<span class="c">${esc(ch)}</span>`)).join('');
let st = {};
let html = '';
for (const line of text.replace(/\n$/, '').split('\n')) {
  let out = '';
  const parts = line.split(/(\u001b\[[0-9;]*m)/);
  for (const part of parts) {
    const m = /^\u001b\[([0-9;]*)m$/.exec(part);
    if (m) {
      const codes = (m[1] || '0').split(';').map(Number);
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i];
        if (c === 0) st = {};
        else if (c === 1) st.bold = true;
        else if (c === 2) st.dim = true;
        else if (c === 7) st.inverse = true;
        else if (c === 22) {
          st.bold = false;
          st.dim = false;
        } else if (c === 27) st.inverse = false;
        else if (c >= 30 && c <= 37) st.fg = BASIC[c - 30];
        else if (c >= 90 && c <= 97) st.fg = BRIGHT[c - 90];
        else if (c === 39) st.fg = undefined;
        else if (c >= 40 && c <= 47) st.bg = BASIC[c - 40];
        else if (c === 49) st.bg = undefined;
        else if ((c === 38 || c === 48) && codes[i + 1] === 5) {
          st[c === 38 ? 'fg' : 'bg'] = x256(codes[i + 2]);
          i += 2;
        }
      }
      continue;
    }
    if (!part) continue;
    let fg = st.fg ?? '#c5c8c6',
      bg = st.bg ?? 'transparent';
    if (st.inverse) {
      [fg, bg] = [bg === 'transparent' ? '#1d1f21' : bg, fg];
    }
    const style = `color:${fg};background:${bg};${st.bold ? 'font-weight:bold;' : ''}${st.dim ? 'opacity:.6;' : ''}`;
    out += `<span style="${style}">${cells(part)}</span>`;
  }
  html += `${out}\n`;
}
fs.writeFileSync(
  output,
  `<!doctype html><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{margin:0;background:#1d1f21}pre{margin:0;padding:12px;font:15px/1.2 'DejaVu Sans Mono',monospace;color:#c5c8c6;background:#1d1f21;display:inline-block}.c{display:inline-block;width:1ch;overflow:hidden;vertical-align:bottom}</style>
<pre>${html}</pre>`,
);
