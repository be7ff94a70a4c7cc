import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createCertificateAuthority } from '../../pki/ca.js';
import { issueClientCertificate } from '../../pki/certs.js';
import { writeKubeconfig } from '../../pki/kubeconfig.js';
import { kubeconfigValid } from './bootstrap.js';

describe('kubeconfigValid', () => {
  it('wants a kubeconfig with a client certificate that has more than a fifth of its life left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8ts-bootstrap-'));
    try {
      const ca = await createCertificateAuthority({ now: new Date(Date.now() - 200 * 24 * 3600 * 1000) });
      const write = async (file: string, validityDays: number, now: Date) => {
        const c = await issueClientCertificate(ca, { user: 'system:node:a', groups: ['system:nodes'], validityDays, now });
        const path = join(dir, file);
        await writeKubeconfig({
          path,
          server: 'https://127.0.0.1:6443',
          caPem: ca.certPem,
          certPem: c.certPem,
          keyPem: c.keyPem,
          user: 'u',
        });
        return path;
      };
      const day = 24 * 3600 * 1000;
      assert.equal(kubeconfigValid(join(dir, 'missing.conf')), false);
      assert.equal(kubeconfigValid(await write('fresh.conf', 365, new Date())), true);
      // 10 days of 100 left: renewed
      assert.equal(kubeconfigValid(await write('old.conf', 100, new Date(Date.now() - 90 * day))), false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
