import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isStatusError, type StatusError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { podContainerName } from './pod-container.js';
import { kubeletLogQuery, podLogOptions } from './pod-log-options.js';

function failure(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (isStatusError(err)) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('PodLogOptions', () => {
  it('decodes the query and builds the kubelet’s', () => {
    const o = podLogOptions(
      new URLSearchParams('container=c&follow=true&tailLines=5&timestamps=1&sinceTime=2026-12-06T13:00:00%2B01:00'),
      'p',
    );
    assert.deepEqual(o, {
      container: 'c',
      follow: true,
      previous: false,
      timestamps: true,
      insecureSkipTLSVerifyBackend: false,
      tailLines: 5,
      sinceTime: '2026-12-06T13:00:00+01:00',
    });
    assert.equal(kubeletLogQuery(o), '?follow=true&timestamps=true&sinceTime=2026-12-06T12%3A00%3A00Z&tailLines=5');
  });

  const bad: [string, number, string][] = [
    ['tailLines=x', 400, 'strconv.ParseInt: parsing "x": invalid syntax'],
    ['limitBytes=1.5', 400, 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['sinceTime=yesterday', 400, 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'],
    ['tailLines=-1', 422, 'PodLogOptions "p" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'],
    ['limitBytes=0', 422, 'PodLogOptions "p" is invalid: limitBytes: Invalid value: 0: must be greater than 0'],
    ['sinceSeconds=0', 422, 'PodLogOptions "p" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0'],
    [
      'sinceSeconds=5&sinceTime=2026-12-06T13:00:00Z',
      422,
      'PodLogOptions "p" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    ],
  ];
  for (const [query, code, message] of bad) {
    it(`refuses ${query}`, () => {
      const err = failure(() => podLogOptions(new URLSearchParams(query), 'p'));
      assert.equal(err.status.code, code);
      assert.equal(err.status.message, message);
    });
  }
});

describe('podContainerName', () => {
  const pod = (containers: string[], init: string[] = []): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: containers.map((name) => ({ name })), initContainers: init.map((name) => ({ name })) },
  });
  it('takes the only container, or the one named', () => {
    assert.equal(podContainerName(pod(['a']), ''), 'a');
    assert.equal(podContainerName(pod(['a', 'b'], ['i']), 'i'), 'i');
  });
  it('says which to choose, and refuses an unknown one', () => {
    assert.equal(
      failure(() => podContainerName(pod(['a', 'b'], ['i']), '')).status.message,
      'a container name must be specified for pod p, choose one of: [a b] or one of the init containers: [i]',
    );
    const err = failure(() => podContainerName(pod(['a']), 'x'));
    assert.equal(err.status.code, 400);
    assert.equal(err.status.message, 'container x is not valid for pod p');
  });
});
