// Captures mconsole packets from a real UML kernel into test/fixtures/mconsole/ (run after
// `npm run build`): the notifications a kernel sends (socket at boot, a user note written to
// /proc/mconsole, panic) and a reply split over many packets (proc vmstat). The codec's unit tests
// decode these bytes, beside their round trips.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Fleet, waitFor } from '../dist/demo/fleet.js';
import { encodeRequest } from '../dist/mconsole/codec.js';
import { DgramEndpoint } from '../dist/mconsole/transport.js';

const out = path.resolve(import.meta.dirname, '../test/fixtures/mconsole');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umltop-capture-'));
const notifyPath = path.join(dir, 'notify');
const notes = [];
const listener = DgramEndpoint.bind(notifyPath, (p) => notes.push(Buffer.from(p)));
const fleet = new Fleet();
const save = (name, command, packets) => {
  fs.writeFileSync(
    path.join(out, name),
    `${JSON.stringify({ command, kernel: version, packets: packets.map((p) => p.toString('base64')) }, null, 1)}\n`,
  );
  console.log(`${name}: ${packets.length} packet(s)`);
};
let version = '?';
try {
  const inst = await fleet.start({ umid: 'capture', workloads: ['notify'], arg: 1, notifySocket: notifyPath });
  const type = (p) => p.readUInt32LE(8);
  await waitFor(() => notes.some((p) => type(p) === 3), 10_000, 'a user note');
  // one request, every reply packet, raw
  const replies = [];
  const ask = async (command, last) => {
    replies.length = 0;
    const ep = DgramEndpoint.bind(path.join(dir, `c-${command.replace(/\W/g, '')}`), (p) =>
      replies.push(Buffer.from(p)),
    );
    ep.send(encodeRequest(command), inst.socket);
    await waitFor(() => replies.length > 0 && last(replies.at(-1)), 20_000, `the last packet of ${command}`);
    ep.close();
    return [...replies];
  };
  const more = (p) => p.readUInt32LE(4) === 0; // the `more` word is 0 on the last packet
  version = (await ask('version', more))[0].subarray(12).toString().replace(/\0.*$/s, '').split(' ')[2] ?? '?';
  save('proc-vmstat.json', 'proc vmstat', await ask('proc vmstat', more));
  const ep = DgramEndpoint.bind(path.join(dir, 'c-crash'), () => {});
  ep.send(encodeRequest('sysrq c'), inst.socket);
  await waitFor(() => notes.some((p) => type(p) === 1), 20_000, 'the panic notification');
  ep.close();
  save('notify-socket.json', 'notify: socket', [notes.find((p) => type(p) === 0)]);
  save('notify-user.json', 'notify: user (echo > /proc/mconsole)', [notes.find((p) => type(p) === 3)]);
  save('notify-panic.json', 'notify: panic (sysrq c)', [notes.find((p) => type(p) === 1)]);
} finally {
  listener.close();
  await fleet.teardown();
  fs.rmSync(dir, { recursive: true, force: true });
}
