import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CpuProfile, frameLabel, summarizeCpuProfile } from './cpu-profile.js';

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0 });

// root → main → (work → parse), (idle), (garbage collector)
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
    { id: 2, callFrame: frame('main', 'file:///w/src/cli/main.ts', 9), children: [3] },
    { id: 3, callFrame: frame('work', 'file:///w/src/a.ts', 19), children: [4] },
    { id: 4, callFrame: frame('parse', 'file:///w/src/b.ts', 4) },
    { id: 5, callFrame: frame('(idle)') },
    { id: 6, callFrame: frame('(garbage collector)') },
  ],
  startTime: 0,
  endTime: 10_000,
  // timeDeltas[i] is the µs between samples i-1 and i, so a sample lasts the next delta:
  // parse 1+1 ms, work 2 ms, idle 4 ms, gc 1 ms, and the last parse sample 0 ms
  samples: [4, 4, 3, 5, 6, 4],
  timeDeltas: [0, 1000, 1000, 2000, 4000, 1000],
};

describe('summarizeCpuProfile', () => {
  const s = summarizeCpuProfile(profile);

  it('splits idle and GC time out', () => {
    assert.equal(s.durationMs, 10);
    assert.equal(s.idleMs, 4);
    assert.equal(s.gcMs, 1);
  });

  it('ranks functions by self time, without the special nodes', () => {
    assert.deepEqual(
      s.bySelf.map((f) => [f.label, f.selfMs]),
      [
        ['parse (b.ts:5)', 2],
        ['work (a.ts:20)', 2],
      ],
    );
  });

  it('counts total time through the callers, once per sample', () => {
    const work = s.bySelf.find((f) => f.label.startsWith('work'));
    assert.equal(work?.totalMs, 4);
  });
});

describe('frameLabel', () => {
  const cases: [ReturnType<typeof frame>, string][] = [
    [frame('', 'file:///x/y/z.js', 0), '(anonymous) (z.js:1)'],
    [frame('(program)'), '(program)'],
    [frame('f', 'node:internal/streams/readable', 41), 'f (readable:42)'],
  ];
  for (const [input, want] of cases) it(`labels ${want}`, () => assert.equal(frameLabel(input), want));
});
