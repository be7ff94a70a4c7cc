import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { managedHostsFileContent, nodeHostsFileContent, writePodHostsFile } from './etc-hosts.js';

const LOCALHOST = [
  '# Kubernetes-managed hosts file.',
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'fe00::0\tip6-mcastprefix',
  'fe00::1\tip6-allnodes',
  'fe00::2\tip6-allrouters',
];

test('the managed hosts file: localhost lines, the pod’s IPs and names, then the host aliases', () => {
  assert.equal(managedHostsFileContent(['10.244.0.5'], 'web', '', []), [...LOCALHOST, '10.244.0.5\tweb', ''].join('\n'));
  assert.equal(
    managedHostsFileContent(['10.244.0.5', 'fd00::5'], 'web', 'grp.apps.svc.cluster.local', [
      { ip: '10.1.1.1', hostnames: ['a.local', 'b.local'] },
      { ip: '10.1.1.2', hostnames: ['c.local'] },
    ]),
    [
      ...LOCALHOST,
      '10.244.0.5\tweb.grp.apps.svc.cluster.local\tweb',
      'fd00::5\tweb.grp.apps.svc.cluster.local\tweb',
      '',
      '# Entries added by HostAliases.',
      '10.1.1.1\ta.local\tb.local',
      '10.1.1.2\tc.local',
      '',
    ].join('\n'),
  );
});

test('the host network’s file is the node’s with a header and the aliases', () => {
  assert.equal(
    nodeHostsFileContent('127.0.0.1 localhost\n', [{ ip: '10.1.1.1', hostnames: ['a'] }]),
    '# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n\n# Entries added by HostAliases.\n10.1.1.1\ta\n',
  );
});

test('writePodHostsFile writes the file for the pod, rewriting it in place', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-hosts-'));
  try {
    const file = join(dir, 'uid', 'etc-hosts');
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'ns' },
      spec: { hostname: 'h', subdomain: 's' },
    };
    await writePodHostsFile(file, pod, { podIPs: ['10.0.0.9'], clusterDomain: 'example.org' });
    assert.match(await readFile(file, 'utf8'), /^10\.0\.0\.9\th\.s\.ns\.svc\.example\.org\th$/m);
    const nodeHosts = join(dir, 'node-hosts');
    await writeFile(nodeHosts, '192.0.2.1 node1\n');
    const hostNet: KubeObject = { ...pod, spec: { hostNetwork: true } };
    await writePodHostsFile(file, hostNet, { podIPs: ['192.0.2.1'], clusterDomain: 'example.org', nodeHostsFile: nodeHosts });
    assert.equal(await readFile(file, 'utf8'), '# Kubernetes-managed hosts file (host network).\n192.0.2.1 node1\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
