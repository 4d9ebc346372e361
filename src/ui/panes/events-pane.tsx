// Events pane: discoveries, state changes, errors (and alerts, notifications) as a log, newest last.
import { Text } from 'ink';
import { memo } from 'react';
import type { StoreEvent } from '../../state/records.js';
import { clockTime } from '../../text/clock-time.js';
import { sanitizeLine } from '../../text/sanitize.js';
import type { Theme } from '../theme.js';
import { fit } from '../widgets/charts.js';
import { inner, Pane } from './frame.js';

type EventsProps = {
  events: StoreEvent[];
  width: number;
  height: number;
  focused: boolean;
  theme: Theme;
  timeZone?: string;
};

/**
 * Drawn again only when an event came or the pane changed: events are few, frames come every
 * second, and the list is a new array each frame (the same events, in order, by sequence number).
 */
export const EventsPane = memo(EventsPaneView, eventsPaneUnchanged);

export function eventsPaneUnchanged(a: EventsProps, b: EventsProps): boolean {
  return (
    a.width === b.width &&
    a.height === b.height &&
    a.focused === b.focused &&
    a.theme === b.theme &&
    a.timeZone === b.timeZone &&
    a.events.length === b.events.length &&
    a.events.at(-1)?.seq === b.events.at(-1)?.seq &&
    a.events[0]?.seq === b.events[0]?.seq
  );
}

function EventsPaneView(p: EventsProps) {
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
          <Text
            key={e.seq}
            wrap="truncate"
            color={e.severity === 'error' ? t.c('bad') : e.severity === 'warn' ? t.c('warn') : undefined}
          >
            {fit(
              `${time}${mark}${t.ascii ? asciiOnly(sanitizeLine(e.message)) : sanitizeLine(e.message)}`,
              w,
              'left',
              t.ascii,
            )}
          </Text>
        );
      })}
    </Pane>
  );
}

/** For --ascii: arrows and dashes in umltop's own messages as ASCII, anything else non-ASCII as '?'. */
export function asciiOnly(text: string): string {
  return text
    .replace(/\u2192/g, '->')
    .replace(/[\u2014\u2013]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[^\x20-\x7e]/g, '?');
}
