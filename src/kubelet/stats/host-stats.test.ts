import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostCpu, hostFs, hostMemory, parseMemory, parseProcStat } from './host-stats.js';

describe('host stats', () => {
  it('parses /proc/stat: busy ticks as nanoseconds', () => {
    assert.equal(parseProcStat('cpu  100 5 50 9999 77 3 2 1 0 0\ncpu0 1 2 3\n').usageCoreNanoSeconds, 161 * 10_000_000);
  });

  it('parses /proc/meminfo and /proc/vmstat', () => {
    const m = parseMemory(
      'MemTotal:       1000 kB\nMemFree:         400 kB\nMemAvailable:    700 kB\nInactive(file):  100 kB\nAnonPages:       250 kB\n',
      'pgfault 42\npgmajfault 7\n',
    );
    assert.deepEqual(m, {
      availableBytes: 700 * 1024,
      usageBytes: 600 * 1024,
      workingSetBytes: 500 * 1024,
      rssBytes: 250 * 1024,
      pageFaults: 42,
      majorPageFaults: 7,
    });
  });

  it('reads this machine', async () => {
    assert.ok((await hostCpu()).usageCoreNanoSeconds > 0);
    const m = await hostMemory();
    assert.ok(m.workingSetBytes > 0 && m.availableBytes > 0);
    const fs = await hostFs('/');
    assert.ok(fs.capacityBytes >= fs.usedBytes && fs.capacityBytes > 0);
  });
});
