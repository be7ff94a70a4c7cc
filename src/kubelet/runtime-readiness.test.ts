import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runtimeNotReadyMessage } from './runtime-readiness.js';
import type { RuntimeCondition } from './runtime/interface.js';

const cond = (type: string, status: boolean, reason = '', message = ''): RuntimeCondition => ({ type, status, reason, message });

test('the node Ready=False message from CRI status(), as upstream words it', async () => {
  const cases: [RuntimeCondition[] | Error, string | undefined][] = [
    [[cond('RuntimeReady', true), cond('NetworkReady', true)], undefined],
    [
      [
        cond('RuntimeReady', true),
        cond('NetworkReady', false, 'NetworkPluginNotReady', 'Network plugin returns error: cni plugin not initialized'),
      ],
      'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    ],
    [[cond('RuntimeReady', true)], 'container runtime network not ready: <nil>'],
    [
      [cond('RuntimeReady', false, 'Down', 'x'), cond('NetworkReady', false, 'N', 'y')],
      '[container runtime not ready: RuntimeReady=false reason:Down message:x, container runtime network not ready: NetworkReady=false reason:N message:y]',
    ],
    [new Error('connection refused'), 'container runtime is down'],
  ];
  for (const [answer, want] of cases) {
    const runtime = {
      status: async () => {
        if (answer instanceof Error) throw answer;
        return { conditions: answer };
      },
    };
    assert.equal(await runtimeNotReadyMessage(runtime), want, JSON.stringify(answer));
  }
});
