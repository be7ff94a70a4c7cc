import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeconfigError, loadKubeconfig, parseKubeconfigConnection } from './kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-kubeconfig-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const b64 = (s: string): string => Buffer.from(s).toString('base64');

const embedded = `
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: { server: 'https://127.0.0.1:6443', certificate-authority-data: ${b64('CA')} }
- name: other
  cluster: { server: 'https://10.0.0.1:6443', insecure-skip-tls-verify: true }
users:
- name: admin
  user: { client-certificate-data: ${b64('CERT')}, client-key-data: ${b64('KEY')} }
- name: bot
  user: { token: abc.def }
contexts:
- name: main
  context: { cluster: c, user: admin }
- name: robot
  context: { cluster: other, user: bot, namespace: kube-system }
current-context: main
`;

describe('kubeconfig', () => {
  it('resolves the current context with embedded data', () => {
    const c = parseKubeconfigConnection(embedded, dir);
    assert.equal(c.server, 'https://127.0.0.1:6443');
    assert.equal(c.ca?.toString(), 'CA');
    assert.equal(c.cert?.toString(), 'CERT');
    assert.equal(c.key?.toString(), 'KEY');
    assert.equal(c.token, undefined);
  });

  it('resolves a named context with a token and a namespace', () => {
    const c = parseKubeconfigConnection(embedded, dir, 'robot');
    assert.deepEqual(c, { server: 'https://10.0.0.1:6443', token: 'abc.def', insecureSkipTLSVerify: true, namespace: 'kube-system' });
  });

  it('reads file references relative to the kubeconfig', () => {
    writeFileSync(join(dir, 'ca.crt'), 'CAFILE');
    writeFileSync(join(dir, 'token'), 'tok\n');
    const path = join(dir, 'files.conf');
    writeFileSync(
      path,
      `clusters: [{name: c, cluster: {server: 'https://h:1', certificate-authority: ca.crt}}]
users: [{name: u, user: {tokenFile: ${join(dir, 'token')}}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    );
    const c = loadKubeconfig(path);
    assert.equal(c.ca?.toString(), 'CAFILE');
    assert.equal(c.token, 'tok');
  });

  const broken: [string, string][] = [
    ['a missing context', 'current-context: nope\ncontexts: []\n'],
    ['a context without its cluster', 'current-context: a\ncontexts: [{name: a, context: {cluster: z, user: u}}]\n'],
    ['invalid YAML', 'a: [\n'],
    ['an empty file', ''],
  ];
  for (const [name, text] of broken) {
    it(`rejects ${name}`, () => assert.throws(() => parseKubeconfigConnection(text, dir), KubeconfigError));
  }
});
