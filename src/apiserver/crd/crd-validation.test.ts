import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCRD } from './crd-validation.js';
import { defaultCRD } from './crd-strategy.js';
import { asCRD, type CustomResourceDefinition } from './crd-object.js';

function crontabs(mutate: (crd: CustomResourceDefinition) => void = () => {}): CustomResourceDefinition {
  const crd = asCRD({
    metadata: { name: 'crontabs.stable.example.com' },
    spec: {
      group: 'stable.example.com',
      scope: 'Namespaced',
      names: { plural: 'crontabs', singular: 'crontab', kind: 'CronTab', shortNames: ['ct'] },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { replicas: { type: 'integer', default: 1 } } } },
            },
          },
        },
      ],
    },
  });
  defaultCRD(crd);
  mutate(crd);
  return crd;
}

const msgs = (crd: CustomResourceDefinition): string[] => validateCRD(crd).map((e) => `${e.field}: ${e.message}`);

test('defaultCRD fills listKind, singular and conversion', () => {
  const crd = crontabs((c) => delete c.spec.names.singular);
  defaultCRD(crd);
  assert.equal(crd.spec.names.listKind, 'CronTabList');
  assert.equal(crd.spec.names.singular, 'crontab');
  assert.deepEqual(crd.spec.conversion, { strategy: 'None' });
});

const cases: { name: string; mutate: (crd: CustomResourceDefinition) => void; want: string[] }[] = [
  { name: 'valid', mutate: () => {}, want: [] },
  {
    name: 'group without a dot',
    mutate: (c) => {
      c.spec.group = 'example';
      c.metadata.name = 'crontabs.example';
    },
    want: ['spec.group: Invalid value: "example": should be a domain with at least one dot'],
  },
  {
    name: 'name mismatch',
    mutate: (c) => (c.metadata.name = 'tabs.stable.example.com'),
    want: ['metadata.name: Invalid value: "tabs.stable.example.com": must be spec.names.plural+"."+spec.group'],
  },
  {
    name: 'no storage version',
    mutate: (c) => ((c.spec.versions[0] as { storage: boolean }).storage = false),
    want: [
      'spec.versions: Invalid value: [{"name":"v1","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"replicas":{"type":"integer","default":1}}}}}}}]: must have exactly one version marked as storage version',
    ],
  },
  {
    name: 'non-structural: missing type (hoisted to spec.validation)',
    mutate: (c) => {
      c.spec.versions[0]!.schema = { openAPIV3Schema: { type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } } };
    },
    want: ['spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields'],
  },
  {
    name: 'schema required per version',
    mutate: (c) => delete c.spec.versions[0]!.schema,
    want: ['spec.versions[0].schema.openAPIV3Schema: Required value'],
  },
  {
    name: 'uniqueItems forbidden',
    mutate: (c) => {
      c.spec.versions[0]!.schema = {
        openAPIV3Schema: { type: 'object', properties: { l: { type: 'array', uniqueItems: true, items: { type: 'string' } } } },
      };
    },
    want: [
      'spec.validation.openAPIV3Schema.properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic',
    ],
  },
  {
    name: 'default must validate',
    mutate: (c) => {
      c.spec.versions[0]!.schema = { openAPIV3Schema: { type: 'object', properties: { n: { type: 'integer', default: 'x' } } } };
    },
    want: ['spec.validation.openAPIV3Schema.properties[n].default: Invalid value: "string":  in body must be of type integer: "string"'],
  },
  {
    name: 'bad printer column type',
    mutate: (c) => (c.spec.versions[0]!.additionalPrinterColumns = [{ name: 'X', type: 'str', jsonPath: '.spec.x' }]),
    want: ['spec.additionalPrinterColumns[0].type: Invalid value: "str": must be one of boolean,date,integer,number,string'],
  },
  {
    name: 'scale path outside spec',
    mutate: (c) =>
      (c.spec.versions[0]!.subresources = { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' } }),
    want: ['spec.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec'],
  },
  {
    name: 'bad scope',
    mutate: (c) => (c.spec.scope = 'Global'),
    want: ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"'],
  },
];

for (const c of cases) {
  test(`validateCRD: ${c.name}`, () => assert.deepEqual(msgs(crontabs(c.mutate)), c.want));
}

test('validateCRD: differing per-version schemas are reported per version', () => {
  const crd = crontabs((c) => {
    c.spec.versions.push({
      name: 'v2',
      served: true,
      storage: false,
      schema: { openAPIV3Schema: { type: 'object', properties: { x: {} } } },
    });
  });
  assert.deepEqual(msgs(crd), [
    'spec.versions[1].schema.openAPIV3Schema.properties[x].type: Required value: must not be empty for specified object fields',
  ]);
});

test('validateCRD: defaults must be pruned', () => {
  const crd = crontabs((c) => {
    c.spec.versions[0]!.schema = {
      openAPIV3Schema: {
        type: 'object',
        properties: { o: { type: 'object', properties: { a: { type: 'string' } }, default: { a: 'x', b: 'y' } } },
      },
    };
  });
  assert.deepEqual(msgs(crd), [
    'spec.validation.openAPIV3Schema.properties[o].default: Invalid value: {"a":"x","b":"y"}: must not have unknown fields',
  ]);
});
