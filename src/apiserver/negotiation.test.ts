import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { negotiateDiscovery, negotiateRendering } from './negotiation.js';

describe('negotiateDiscovery', () => {
  const v2beta1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  const v2 =
    'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  const cases: [string, string | undefined, unknown][] = [
    ['kubectl 1.27 gets v2beta1, never v2', v2beta1, { kind: 'aggregated', version: 'v2beta1' }],
    ['kubectl 1.30 gets v2', v2, { kind: 'aggregated', version: 'v2' }],
    [
      'unknown parameters are skipped',
      `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;profile=nopeer,${v2beta1}`,
      { kind: 'aggregated', version: 'v2beta1' },
    ],
    ['plain JSON is legacy', 'application/json, */*', { kind: 'legacy' }],
    ['no Accept is legacy', undefined, { kind: 'legacy' }],
    ['protobuf only is not acceptable', 'application/vnd.kubernetes.protobuf', undefined],
  ];
  for (const [name, accept, want] of cases) it(name, () => assert.deepEqual(negotiateDiscovery(accept), want));
});

describe('negotiateRendering', () => {
  const cases: [string, string | undefined, unknown][] = [
    [
      'Table v1 first',
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json',
      { kind: 'table', version: 'v1' },
    ],
    ['protobuf then JSON', 'application/vnd.kubernetes.protobuf,application/json', { kind: 'object', format: 'json' }],
    ['YAML', 'application/yaml', { kind: 'object', format: 'yaml' }],
    [
      'metadata only',
      'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json',
      { kind: 'partial', version: 'v1' },
    ],
    ['anything', '*/*', { kind: 'object', format: 'json' }],
    ['nothing acceptable', 'text/html', undefined],
  ];
  for (const [name, accept, want] of cases) it(name, () => assert.deepEqual(negotiateRendering(accept), want));
});
