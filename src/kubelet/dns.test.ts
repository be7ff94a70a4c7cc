import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { type DNSSettings, kernelHostname, nodeResolvConf, parseResolvConf, podDNSConfig, podHostnameAndDomain } from './dns.js';

type Obj = Record<string, unknown>;

const host = parseResolvConf(
  ['# comment', 'nameserver 192.0.2.53', 'nameserver 192.0.2.54', 'search corp.example. lab.example', 'options timeout:2 rotate', ''].join(
    '\n',
  ),
);
const settings: DNSSettings = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', host };

function pod(spec: Obj, name = 'p'): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'apps' }, spec };
}

test('parseResolvConf: servers, the last search line, options', () => {
  assert.deepEqual(host, {
    servers: ['192.0.2.53', '192.0.2.54'],
    searches: ['corp.example', 'lab.example'],
    options: ['timeout:2', 'rotate'],
  });
  assert.deepEqual(parseResolvConf('search a b\nsearch c\noptions ndots:1\noptions ndots:2 edns0\n'), {
    servers: [],
    searches: ['c'],
    options: ['ndots:2', 'edns0'],
  });
});

test('ClusterFirst: the cluster DNS, cluster searches then the node’s, ndots:5', () => {
  assert.deepEqual(podDNSConfig(pod({}), settings), {
    servers: ['10.96.0.10'],
    searches: ['apps.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example'],
    options: ['ndots:5'],
  });
  assert.deepEqual(podDNSConfig(pod({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }), settings).servers, ['10.96.0.10']);
});

test('Default, ClusterFirst on the host network, and ClusterFirst without cluster DNS use the node’s resolv.conf', () => {
  for (const p of [pod({ dnsPolicy: 'Default' }), pod({ dnsPolicy: 'ClusterFirst', hostNetwork: true })]) {
    assert.deepEqual(podDNSConfig(p, settings), host);
  }
  assert.deepEqual(podDNSConfig(pod({}), { ...settings, clusterDNS: [] }), host);
});

test('None with dnsConfig; dnsConfig merged without duplicates, options by name', () => {
  const none = pod({
    dnsPolicy: 'None',
    dnsConfig: { nameservers: ['1.1.1.1'], searches: ['x.example'], options: [{ name: 'ndots', value: '2' }] },
  });
  assert.deepEqual(podDNSConfig(none, settings), { servers: ['1.1.1.1'], searches: ['x.example'], options: ['ndots:2'] });
  const merged = pod({
    dnsConfig: {
      nameservers: ['10.96.0.10', '8.8.8.8'],
      searches: ['svc.cluster.local', 'extra.example'],
      options: [{ name: 'ndots', value: '1' }, { name: 'edns0' }],
    },
  });
  assert.deepEqual(podDNSConfig(merged, settings), {
    servers: ['10.96.0.10', '8.8.8.8'],
    searches: ['apps.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'lab.example', 'extra.example'],
    options: ['ndots:1', 'edns0'],
  });
});

test('at most 3 servers and 32 searches', () => {
  const many = pod({
    dnsPolicy: 'None',
    dnsConfig: {
      nameservers: ['1.1.1.1', '1.1.1.2', '1.1.1.3', '1.1.1.4'],
      searches: Array.from({ length: 40 }, (_, i) => `s${i}.example`),
    },
  });
  const got = podDNSConfig(many, settings);
  assert.equal(got.servers.length, 3);
  assert.equal(got.searches.length, 32);
});

test('hostname and subdomain', () => {
  assert.deepEqual(podHostnameAndDomain(pod({}), 'cluster.local'), { hostname: 'p', domain: '' });
  assert.deepEqual(podHostnameAndDomain(pod({ hostname: 'web', subdomain: 'grp' }), 'cluster.local'), {
    hostname: 'web',
    domain: 'grp.apps.svc.cluster.local',
  });
  const long = `${'a'.repeat(62)}-b`;
  assert.equal(podHostnameAndDomain(pod({}, long), 'cluster.local').hostname, 'a'.repeat(62));
});

test('the node’s resolv.conf: systemd-resolved’s upstream file when /etc/resolv.conf only has loopback servers', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-resolv-'));
  try {
    const main = join(dir, 'resolv.conf');
    const resolved = join(dir, 'resolved.conf');
    await writeFile(main, 'nameserver 127.0.0.53\noptions edns0\n');
    assert.equal(await nodeResolvConf(main, resolved), main, 'without the upstream file');
    await writeFile(resolved, 'nameserver 192.0.2.1\n');
    assert.equal(await nodeResolvConf(main, resolved), resolved);
    await writeFile(main, 'nameserver 192.0.2.53\n');
    assert.equal(await nodeResolvConf(main, resolved), main);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('setHostnameAsFQDN makes the sandbox’s hostname the FQDN, at most 64 characters', () => {
  assert.equal(
    kernelHostname(pod({ hostname: 'web', subdomain: 'grp', setHostnameAsFQDN: true }), 'cluster.local'),
    'web.grp.apps.svc.cluster.local',
  );
  assert.equal(kernelHostname(pod({ hostname: 'web', subdomain: 'grp' }), 'cluster.local'), 'web');
  assert.equal(kernelHostname(pod({ hostname: 'web', setHostnameAsFQDN: true }), 'cluster.local'), 'web');
  const long = pod({ hostname: 'a'.repeat(40), subdomain: 'grp', setHostnameAsFQDN: true });
  assert.throws(
    () => kernelHostname(long, 'cluster.local'),
    /FQDN a+\.grp\.apps\.svc\.cluster\.local is too long \(64 characters is the max, 67 characters requested\)$/,
  );
});
