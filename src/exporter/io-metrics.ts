// Disk and network series of one instance, named as node_exporter names a machine's own
// (node_disk_*, node_network_*), so the same dashboards and queries read them.
import type { InstanceRecord } from '../state/records.js';

type Labels = Record<string, string>;
type Add = (
  name: string,
  type: 'counter' | 'gauge',
  help: string,
  unit: string | undefined,
  s: { labels: Labels; value: number },
) => void;

export function ioMetrics(rec: InstanceRecord, l: (extra?: Labels) => Labels, add: Add): void {
  for (const d of rec.guest?.disks ?? []) {
    const labels = l({ device: d.device });
    const c = (name: string, help: string, unit: string | undefined, value: number) =>
      add(`umltop_guest_disk_${name}`, 'counter', `${help} (mconsole proc diskstats)`, unit, { labels, value });
    c('reads_completed', 'Reads the guest completed on the device', undefined, d.reads);
    c('writes_completed', 'Writes the guest completed on the device', undefined, d.writes);
    c('read_bytes', 'Bytes the guest read from the device', 'bytes', d.readBytes);
    c('written_bytes', 'Bytes the guest wrote to the device', 'bytes', d.writtenBytes);
    c('read_time_seconds', 'Time reads took, summed', 'seconds', d.readTimeMs / 1000);
    c('write_time_seconds', 'Time writes took, summed', 'seconds', d.writeTimeMs / 1000);
    c('io_time_seconds', 'Time with I/O in flight on the device', 'seconds', d.ioTimeMs / 1000);
    add('umltop_guest_disk_io_now', 'gauge', 'I/Os in flight on the device (mconsole proc diskstats)', undefined, {
      labels,
      value: d.inFlight,
    });
    for (const f of d.files ?? []) {
      const fl = l({ device: d.device, role: f.role, path: f.path });
      const g = (name: string, help: string, value: number | undefined) => {
        if (value !== undefined)
          add(
            `umltop_host_disk_${name}`,
            'gauge',
            `${help} (host stat/statfs of the file config ubdN names)`,
            'bytes',
            {
              labels: fl,
              value,
            },
          );
      };
      g('file_size_bytes', "Apparent size of a file behind the guest's disk", f.sizeBytes);
      g('file_allocated_bytes', "Space allocated to a file behind the guest's disk", f.allocatedBytes);
      g('filesystem_size_bytes', "Size of the filesystem holding a file behind the guest's disk", f.fsSizeBytes);
      g('filesystem_avail_bytes', "Space left for the kernel process's user on that filesystem", f.fsAvailBytes);
    }
  }
  for (const n of rec.network ?? []) {
    const labels = l({ device: n.device ?? n.tap, tap: n.tap });
    const c = (name: string, help: string, unit: string | undefined, value: number) =>
      add(`umltop_guest_network_${name}`, 'counter', `${help} (the host side of its tap, in the guest's view)`, unit, {
        labels,
        value,
      });
    c('receive_bytes', 'Bytes the guest received', 'bytes', n.rxBytes);
    c('transmit_bytes', 'Bytes the guest sent', 'bytes', n.txBytes);
    c('receive_packets', 'Packets the guest received', undefined, n.rxPackets);
    c('transmit_packets', 'Packets the guest sent', undefined, n.txPackets);
    c('receive_errs', 'Receive errors', undefined, n.rxErrors);
    c('transmit_errs', 'Transmit errors', undefined, n.txErrors);
    c('receive_drop', 'Packets dropped on the way to the guest', undefined, n.rxDropped);
    c('transmit_drop', 'Packets the guest sent that were dropped', undefined, n.txDropped);
  }
}
