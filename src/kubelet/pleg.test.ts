import assert from 'node:assert/strict';
import { test } from 'node:test';
import { relistPodStates, startGenericPLEG } from './pleg.js';
import type { Container, PodSandbox } from './runtime/interface.js';

const labels = (name: string) => ({ 'io.kubernetes.pod.namespace': 'ns', 'io.kubernetes.pod.name': name });

function world(sandboxes: Partial<PodSandbox>[], containers: Partial<Container>[]) {
  return {
    listPodSandbox: async () => sandboxes as PodSandbox[],
    listContainers: async () => containers as Container[],
  };
}

test('relistPodStates: one fingerprint per pod of its sandboxes’ and containers’ states', async () => {
  const states = await relistPodStates(
    world(
      [{ id: 's1', state: 'SANDBOX_READY', labels: labels('a') }],
      [
        { id: 'c2', state: 'CONTAINER_EXITED', labels: labels('a') },
        { id: 'c1', state: 'CONTAINER_RUNNING', labels: labels('a') },
        { id: 'c3', state: 'CONTAINER_RUNNING', labels: labels('b') },
      ],
    ),
  );
  assert.deepEqual(
    states,
    new Map([
      ['ns/a', 'c1=CONTAINER_RUNNING,c2=CONTAINER_EXITED,s1=SANDBOX_READY'],
      ['ns/b', 'c3=CONTAINER_RUNNING'],
    ]),
  );
});

test('the relist wakes only pods whose runtime state changed or vanished', async () => {
  const containers: Partial<Container>[] = [
    { id: 'c1', state: 'CONTAINER_RUNNING', labels: labels('a') },
    { id: 'c2', state: 'CONTAINER_RUNNING', labels: labels('b') },
    { id: 'c3', state: 'CONTAINER_RUNNING', labels: labels('c') },
  ];
  const changed: string[] = [];
  const ac = new AbortController();
  startGenericPLEG({ runtime: world([], containers), periodMs: 20, onPodChanged: (k) => changed.push(k) }, ac.signal);
  await new Promise((r) => setTimeout(r, 70));
  assert.deepEqual(changed, [], 'the first relist is the baseline');
  (containers[0] as Container).state = 'CONTAINER_EXITED';
  containers.splice(2, 1);
  await new Promise((r) => setTimeout(r, 70));
  ac.abort();
  assert.deepEqual([...new Set(changed)].sort(), ['ns/a', 'ns/c']);
});
