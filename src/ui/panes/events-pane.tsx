// Events pane: discoveries, state changes, errors (and alerts, notifications) as a log, newest last.
import { Text } from 'ink';
import type { StoreEvent } from '../../state/store.js';
import { clockTime } from '../../text/clock-time.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { Theme } from '../theme.js';
import { fit } from '../widgets/charts.js';
import { inner, Pane } from './frame.js';

export function EventsPane(p: { events: StoreEvent[]; width: number; height: number; focused: boolean; theme: Theme; timeZone?: string }) {
  const t = p.theme;
  const { w, h } = inner(p.width, p.height);
  const shown = p.events.slice(-Math.max(0, h));
  return (
    <Pane title="Events" {...p}>
      {shown.length === 0 ? <Text color={t.c('dim')}>nothing yet</Text> : null}
      {shown.map((e) => {
        const time = clockTime(e.wall, p.timeZone);
        const mark = e.severity === 'error' ? '!' : e.severity === 'warn' ? '*' : ' ';
        return (
          <Text key={e.seq} wrap="truncate" color={e.severity === 'error' ? t.c('bad') : e.severity === 'warn' ? t.c('warn') : undefined}>
            {fit(`${time}${mark}${t.ascii ? asciiOnly(sanitizeLine(e.message)) : sanitizeLine(e.message)}`, w, 'left', t.ascii)}
          </Text>
        );
      })}
    </Pane>
  );
}

/** For --ascii: arrows and dashes in umltop's own messages as ASCII, anything else non-ASCII as '?'. */
export function asciiOnly(text: string): string {
  return text.replace(/\u2192/g, '->').replace(/[\u2014\u2013]/g, '-').replace(/\u2026/g, '...').replace(/[^\x20-\x7e]/g, '?');
}
