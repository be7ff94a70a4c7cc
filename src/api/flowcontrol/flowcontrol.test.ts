import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../machinery/object.js';
import { flowSchemaPrinter, flowSchemaStrategy } from './flow-schema.js';
import { priorityLevelPrinter, priorityLevelStrategy } from './priority-level.js';

const errors = (strategy: typeof flowSchemaStrategy, obj: KubeObject): string[] =>
  (strategy.validate?.(obj) ?? []).map((e) => `${e.field}: ${e.message}`);

describe('FlowSchema', () => {
  const fs = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'f' }, spec });
  it('defaults matchingPrecedence to 1000', () => {
    const o = fs({ priorityLevelConfiguration: { name: 'p' } });
    flowSchemaStrategy.defaults?.(o);
    assert.equal((o['spec'] as Record<string, unknown>)['matchingPrecedence'], 1000);
  });
  it('validates precedence, level, distinguisher and rules', () => {
    assert.deepEqual(
      errors(
        flowSchemaStrategy,
        fs({
          matchingPrecedence: 20000,
          distinguisherMethod: { type: 'ByGroup' },
          rules: [
            { subjects: [{ kind: 'User' }] },
            { subjects: [{ kind: 'Robot' }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }] },
          ],
        }),
      ),
      [
        'spec.matchingPrecedence: Invalid value: 20000: must be between 1 and 10000 inclusive',
        'spec.priorityLevelConfiguration.name: Required value: must reference a priority level',
        'spec.distinguisherMethod.type: Unsupported value: "ByGroup": supported values: "ByUser", "ByNamespace"',
        "spec.rules[0].subjects[0].user: Required value: user is required when subject kind is 'User'",
        'spec.rules[0]: Required value: at least one of resourceRules and nonResourceRules has to be non-empty',
        'spec.rules[1].subjects[0].kind: Unsupported value: "Robot": supported values: "Group", "ServiceAccount", "User"',
      ],
    );
  });
  it('prints upstream columns, MissingPL from the Dangling condition', () => {
    assert.deepEqual(
      flowSchemaPrinter.columns.map((c) => c.name),
      ['Name', 'PriorityLevel', 'MatchingPrecedence', 'DistinguisherMethod', 'Age', 'MissingPL'],
    );
    const obj = fs({ priorityLevelConfiguration: { name: 'p' }, matchingPrecedence: 7, distinguisherMethod: { type: 'ByUser' } });
    obj.metadata.creationTimestamp = '2024-01-01T00:00:00Z';
    const now = Date.parse('2024-01-02T00:00:00Z');
    assert.deepEqual(flowSchemaPrinter.row(obj, now), ['f', 'p', 7, 'ByUser', '24h', '?']);
    obj['status'] = { conditions: [{ type: 'Dangling', status: 'True' }] };
    delete (obj['spec'] as Record<string, unknown>)['distinguisherMethod'];
    assert.deepEqual(flowSchemaPrinter.row(obj, now), ['f', 'p', 7, '<none>', '24h', 'True']);
  });
});

describe('PriorityLevelConfiguration', () => {
  const pl = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'p', creationTimestamp: '2024-01-01T00:00:00Z' }, spec });
  it('defaults shares and queuing as v1', () => {
    const o = pl({ type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: {} } } });
    priorityLevelStrategy.defaults?.(o);
    assert.deepEqual(o['spec'], {
      type: 'Limited',
      limited: {
        nominalConcurrencyShares: 30,
        lendablePercent: 0,
        limitResponse: { type: 'Queue', queuing: { queues: 64, handSize: 8, queueLengthLimit: 50 } },
      },
    });
    const e = pl({ type: 'Exempt' });
    priorityLevelStrategy.defaults?.(e);
    assert.deepEqual(e['spec'], { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } });
  });
  it('validates the union and the queuing parameters', () => {
    assert.deepEqual(errors(priorityLevelStrategy, pl({ type: 'Odd' })), [
      'spec.type: Unsupported value: "Odd": supported values: "Exempt", "Limited"',
    ]);
    assert.deepEqual(errors(priorityLevelStrategy, pl({ type: 'Limited' })), [
      'spec.limited: Required value: must not be empty when type is Limited',
    ]);
    assert.deepEqual(
      errors(
        priorityLevelStrategy,
        pl({ type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: { queues: 4, handSize: 8, queueLengthLimit: 0 } } } }),
      ),
      [
        'spec.limited.limitResponse.queuing.queueLengthLimit: Invalid value: 0: must be positive',
        'spec.limited.limitResponse.queuing.handSize: Invalid value: 8: should not be greater than queues (4)',
      ],
    );
  });
  it('prints upstream columns', () => {
    const now = Date.parse('2024-01-02T00:00:00Z');
    assert.deepEqual(
      priorityLevelPrinter.columns.map((c) => c.name),
      ['Name', 'Type', 'NominalConcurrencyShares', 'Queues', 'HandSize', 'QueueLengthLimit', 'Age'],
    );
    const queued = pl({
      type: 'Limited',
      limited: {
        nominalConcurrencyShares: 20,
        limitResponse: { type: 'Queue', queuing: { queues: 128, handSize: 6, queueLengthLimit: 50 } },
      },
    });
    assert.deepEqual(priorityLevelPrinter.row(queued, now), ['p', 'Limited', 20, 128, 6, 50, '24h']);
    assert.deepEqual(priorityLevelPrinter.row(pl({ type: 'Exempt', exempt: {} }), now), [
      'p',
      'Exempt',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
      '24h',
    ]);
  });
});

describe('flowcontrol strategies', () => {
  it('clear the status a client sends on create', () => {
    for (const strategy of [flowSchemaStrategy, priorityLevelStrategy]) {
      const o: KubeObject = { metadata: { name: 'x' }, spec: {}, status: { conditions: [{ type: 'Dangling', status: 'False' }] } };
      strategy.prepareForCreate?.(o);
      assert.equal(o['status'], undefined);
    }
  });
});
