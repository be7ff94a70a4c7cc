import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatFitError } from './fit-error.js';
import type { NodeToStatus } from './interface.js';
import { unresolvable, unschedulable } from './status.js';

test('formatFitError counts reasons and sorts them as strings, as upstream', () => {
  const m: NodeToStatus = new Map([
    ['cp', unresolvable('node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }')],
    ['n1', unschedulable('Insufficient cpu')],
    ['n2', unschedulable('Insufficient cpu')],
  ]);
  const pre: NodeToStatus = new Map([
    ['cp', unresolvable('Preemption is not helpful for scheduling')],
    ['n1', unresolvable('No preemption victims found for incoming pod')],
    ['n2', unresolvable('No preemption victims found for incoming pod')],
  ]);
  const post = `preemption: ${formatFitError(3, pre)}`;
  assert.equal(
    formatFitError(3, m, '', post),
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
  );
  const multi: NodeToStatus = new Map([['n1', unschedulable('Insufficient cpu', 'Insufficient memory')]]);
  assert.equal(formatFitError(1, multi), '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.');
  assert.equal(
    formatFitError(2, new Map(), 'pod has unbound immediate PersistentVolumeClaims'),
    '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims.',
  );
});
