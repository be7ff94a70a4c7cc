import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listedNames } from './nft.js';

test('listedNames: the kube-proxy table names from nft -j list, other tables left out', () => {
  const json = JSON.stringify({
    nftables: [
      { metainfo: { version: '1.0.6', json_schema_version: 1 } },
      { chain: { family: 'ip', table: 'kube-proxy', name: 'services', handle: 1 } },
      { chain: { family: 'ip', table: 'filter', name: 'INPUT', handle: 1 } },
      { set: { family: 'ip', table: 'kube-proxy', name: 'affinity-X', handle: 2 } },
    ],
  });
  assert.deepEqual(listedNames(json, 'chain'), ['services']);
  assert.deepEqual(listedNames(json, 'set'), ['affinity-X']);
  assert.deepEqual(listedNames('{"nftables":[]}', 'chain'), []);
});
