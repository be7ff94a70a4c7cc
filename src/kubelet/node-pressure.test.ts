import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { machinePressure, type MachineObservation, pressureFrom } from './node-pressure.js';

const healthy: MachineObservation = {
  memAvailableBytes: 2 * 1024 ** 3,
  fs: { blocks: 1000, bavail: 500, files: 1000, ffree: 900 },
  pidMax: 4_194_304,
  processes: 300,
};

describe('node pressure', () => {
  it('reports none on a healthy machine', () => {
    assert.deepEqual(pressureFrom(healthy), { memoryPressure: false, diskPressure: false, pidPressure: false });
  });

  it('uses the eviction manager’s hard thresholds', () => {
    const cases: [Partial<MachineObservation>, keyof ReturnType<typeof pressureFrom>][] = [
      [{ memAvailableBytes: 100 * 1024 * 1024 - 1 }, 'memoryPressure'],
      [{ fs: { blocks: 1000, bavail: 99, files: 1000, ffree: 900 } }, 'diskPressure'],
      [{ fs: { blocks: 1000, bavail: 500, files: 1000, ffree: 49 } }, 'diskPressure'],
      [{ pidMax: 1000, processes: 951 }, 'pidPressure'],
    ];
    for (const [change, condition] of cases) {
      const got = pressureFrom({ ...healthy, ...change });
      assert.equal(got[condition], true, JSON.stringify(change));
      const others = Object.entries(got).filter(([k]) => k !== condition);
      assert.ok(
        others.every(([, v]) => v === false),
        JSON.stringify(got),
      );
    }
    assert.equal(pressureFrom({ ...healthy, memAvailableBytes: 100 * 1024 * 1024 }).memoryPressure, false);
  });

  it('reads this machine', async () => {
    const got = await machinePressure('/');
    assert.deepEqual(Object.keys(got).sort(), ['diskPressure', 'memoryPressure', 'pidPressure']);
  });
});
