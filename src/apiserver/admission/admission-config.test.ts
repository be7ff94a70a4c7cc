import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadAdmissionConfiguration } from './admission-config.js';

test('reads plugins’ configurations inline or from a path beside the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-admission-config-'));
  try {
    await writeFile(join(dir, 'limits.yaml'), 'kind: Other\nvalue: 1\n');
    const file = join(dir, 'admission.yaml');
    await writeFile(
      file,
      [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: AdmissionConfiguration',
        'plugins:',
        '- name: PodSecurity',
        '  configuration:',
        '    apiVersion: pod-security.admission.config.k8s.io/v1',
        '    kind: PodSecurityConfiguration',
        '    defaults: {enforce: baseline}',
        '- name: Other',
        '  path: limits.yaml',
      ].join('\n'),
    );
    const config = await loadAdmissionConfiguration(file);
    assert.deepEqual(config.get('PodSecurity')?.['defaults'], { enforce: 'baseline' });
    assert.deepEqual(config.get('Other'), { kind: 'Other', value: 1 });
    await writeFile(file, 'kind: Pod\n');
    await assert.rejects(loadAdmissionConfiguration(file), /want an apiserver.config.k8s.io\/v1 AdmissionConfiguration/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
