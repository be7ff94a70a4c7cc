import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ensurePki } from './layout.js';
import { createCertificateAuthority } from './ca.js';
import { issueClientCertificate } from './certs.js';
import { currentCredentials, ensureAdminKubeconfig, parseKubeconfig, writeKubeconfig } from './kubeconfig.js';
import { isPkiError } from './errors.js';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-kubeconfig-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const pkiOptions = (dir: string) => ({ dir, bindAddress: '127.0.0.1', serviceIP: '10.96.0.1', clusterDomain: 'cluster.local' });

test('writeKubeconfig writes clientcmd v1 YAML with embedded base64 data, mode 0600', async () => {
  await withDir(async (dir) => {
    const ca = await createCertificateAuthority();
    const client = await issueClientCertificate(ca, { user: 'jane', groups: ['dev'] });
    const path = join(dir, 'jane.conf');
    await writeKubeconfig({
      path,
      server: 'https://127.0.0.1:6443',
      caPem: ca.certPem,
      certPem: client.certPem,
      keyPem: client.keyPem,
      user: 'jane',
    });
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const doc = parse(await readFile(path, 'utf8'));
    assert.deepEqual(doc, {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'k8ts',
          cluster: { 'certificate-authority-data': Buffer.from(ca.certPem).toString('base64'), server: 'https://127.0.0.1:6443' },
        },
      ],
      contexts: [{ name: 'k8ts', context: { cluster: 'k8ts', user: 'jane' } }],
      users: [
        {
          name: 'jane',
          user: {
            'client-certificate-data': Buffer.from(client.certPem).toString('base64'),
            'client-key-data': Buffer.from(client.keyPem).toString('base64'),
          },
        },
      ],
      'current-context': 'k8ts',
      preferences: {},
    });
  });
});

test('custom cluster and context names resolve back to the same credentials', async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'c.conf');
    await writeKubeconfig({
      path,
      server: 'https://h:1',
      caPem: 'CA',
      certPem: 'CERT',
      keyPem: 'KEY',
      user: 'u',
      clusterName: 'c1',
      contextName: 'ctx',
    });
    assert.deepEqual(currentCredentials(parseKubeconfig(await readFile(path, 'utf8'))), {
      server: 'https://h:1',
      caPem: 'CA',
      certPem: 'CERT',
      keyPem: 'KEY',
    });
  });
});

test('parseKubeconfig and currentCredentials reject what they cannot use', () => {
  const cases = [
    ': not yaml: [',
    'kind: Pod',
    'kind: Config\ncurrent-context: missing\n',
    'kind: Config\ncurrent-context: a\ncontexts: [{name: a, context: {cluster: c, user: u}}]\nclusters: [{name: c, cluster: {server: "https://x"}}]\nusers: [{name: u, user: {token: t}}]\n',
  ];
  for (const text of cases) {
    assert.throws(
      () => currentCredentials(parseKubeconfig(text)),
      (err) => isPkiError(err, 'InvalidKubeconfig'),
      text,
    );
  }
});

test('ensureAdminKubeconfig: kubernetes-admin / system:masters, kept when unchanged, rewritten on a new server URL', async () => {
  await withDir(async (dir) => {
    const pki = await ensurePki(pkiOptions(dir));
    const path = await ensureAdminKubeconfig(dir, 'https://127.0.0.1:6443', pki);
    assert.equal(path, join(dir, 'admin.conf'));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const first = await readFile(path, 'utf8');
    const creds = currentCredentials(parseKubeconfig(first));
    const cert = new X509Certificate(creds.certPem);
    assert.equal(cert.subject, 'O=system:masters\nCN=kubernetes-admin');
    assert.ok(cert.verify(new X509Certificate(await readFile(pki.caCert, 'utf8')).publicKey));
    assert.equal(creds.caPem, await readFile(pki.caCert, 'utf8'));
    assert.equal(parseKubeconfig(first).users[0]?.name, 'kubernetes-admin');

    await ensureAdminKubeconfig(dir, 'https://127.0.0.1:6443', pki);
    assert.equal(await readFile(path, 'utf8'), first, 'unchanged');

    await ensureAdminKubeconfig(dir, 'https://127.0.0.1:7443', pki);
    const moved = currentCredentials(parseKubeconfig(await readFile(path, 'utf8')));
    assert.equal(moved.server, 'https://127.0.0.1:7443');
    assert.equal(moved.certPem, creds.certPem, 'client certificate kept');
  });
});

test('ensureAdminKubeconfig reissues when the file is broken or from another CA', async () => {
  await withDir(async (dir) => {
    const pki = await ensurePki(pkiOptions(dir));
    const path = join(dir, 'admin.conf');
    const caPem = await readFile(pki.caCert, 'utf8');

    await writeFile(path, 'garbage: [');
    await ensureAdminKubeconfig(dir, 'https://127.0.0.1:6443', pki);
    assert.equal(currentCredentials(parseKubeconfig(await readFile(path, 'utf8'))).caPem, caPem);

    const otherCA = await createCertificateAuthority();
    const foreign = await issueClientCertificate(otherCA, { user: 'kubernetes-admin', groups: ['system:masters'] });
    await writeKubeconfig({
      path,
      server: 'https://127.0.0.1:6443',
      caPem,
      certPem: foreign.certPem,
      keyPem: foreign.keyPem,
      user: 'kubernetes-admin',
    });
    await ensureAdminKubeconfig(dir, 'https://127.0.0.1:6443', pki);
    const creds = currentCredentials(parseKubeconfig(await readFile(path, 'utf8')));
    assert.notEqual(creds.certPem, foreign.certPem);
    assert.ok(new X509Certificate(creds.certPem).verify(new X509Certificate(caPem).publicKey));
  });
});
