// The Prometheus exporter's pure rendering from the store (fixture data through the real parsers).
// promtool and a real Prometheus scraping `umltop serve`: metrics.integration.test.ts.
import { describe, expect, it } from 'vitest';
import { parseListen } from '../../src/exporter/server.js';
import { escapeLabel, negotiate, renderMetrics } from '../../src/exporter/metrics.js';
import { fixtureStore } from '../helpers/fixture-store.js';

const ctx = { userName: (uid: number | undefined) => (uid === 0 ? 'root' : undefined), version: '9.9.9' };

describe('metrics rendering', () => {
  it('renders every family with HELP and TYPE, counters with _total, units in the names; OpenMetrics ends with # EOF', () => {
    const { store } = fixtureStore({ samples: 5 });
    const text = renderMetrics(store, ctx, 'prometheus');
    for (const name of [
      'umltop_host_cpu_seconds_total',
      'umltop_host_rss_bytes',
      'umltop_host_shmem_bytes',
      'umltop_guest_cpu_seconds_total',
      'umltop_guest_memory_bytes',
      'umltop_guest_interrupts_total',
      'umltop_instance_state',
      'umltop_hotplug_unplugged_bytes',
      'umltop_mconsole_request_duration_seconds',
      'umltop_mconsole_request_failures_total',
      'umltop_guest_disk_read_bytes_total',
      'umltop_guest_disk_reads_completed_total',
      'umltop_guest_disk_io_time_seconds_total',
      'umltop_guest_disk_io_now',
      'umltop_host_disk_filesystem_avail_bytes',
      'umltop_guest_network_receive_bytes_total',
      'umltop_guest_network_transmit_drop_total',
    ]) {
      expect(text, name).toContain(`# TYPE ${name} `);
    }
    expect(text).toMatch(
      /^umltop_guest_memory_bytes\{umid="web-1",uml_dir="\/root\/\.uml",user="",field="MemFree"\} \d+$/m,
    );
    expect(text).toMatch(/^umltop_instance_state\{umid="crashed",uml_dir="\/root\/\.uml",user="",state="dead"\} 1$/m);
    expect(text).toMatch(/^umltop_instances\{state="invalid"\} 1$/m);
    // host CPU seconds: build-2 burns 95 ticks a sample (4 deltas after the first) = 3.8 s
    expect(text).toMatch(/^umltop_host_cpu_seconds_total\{umid="build-2",[^}]*\} 3\.8$/m);
    expect(text).not.toContain('HugePages_Total');
    expect(text).toMatch(
      /^umltop_guest_network_transmit_bytes_total\{umid="build-2",[^}]*,device="vec0",tap="tap-build2"\} \d+$/m,
    );
    expect(text).toMatch(
      /^umltop_host_disk_file_size_bytes\{umid="build-2",[^}]*,device="ubd[bc]",role="backing",path="\/srv\/uml\/base\.img"\} \d+$/m,
    );
    const om = renderMetrics(store, ctx, 'openmetrics');
    expect(om.endsWith('# EOF\n')).toBe(true);
    expect(om).toContain('# TYPE umltop_host_cpu_seconds counter\n# UNIT umltop_host_cpu_seconds seconds\n');
    expect(negotiate('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5')).toBe('openmetrics');
    expect(negotiate(undefined)).toBe('prometheus');
  });

  it('each instance says when its newest sample was read: the wall time, beside its age', () => {
    const { store, clock } = fixtureStore({ samples: 5 }); // drawn 200 ms after the last sample
    const text = renderMetrics(store, ctx, 'prometheus');
    const value = (name: string) => Number(new RegExp(`^${name}\\{umid="web-1",[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('umltop_sample_age_seconds')).toBe(0.2);
    expect(value('umltop_sample_timestamp_seconds')).toBe((clock.wallNow() - 200) / 1000);
  });

  it('guest text in labels cannot break the format', () => {
    // controls made visible first (\n, \e), then the format's escaping doubles their backslashes
    expect(escapeLabel('a"b\\c\nd\u001b[31me')).toBe('a\\"b\\\\c\\\\nd\\\\e[31me');
  });

  it('parses listen addresses', () => {
    expect(parseListen('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListen(':9464')).toEqual({ host: '::', port: 9464 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen('9464')).toBeUndefined();
    expect(parseListen('host:99999')).toBeUndefined();
  });
});
