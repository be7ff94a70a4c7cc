import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureBridgeNetfilter } from './bridge-netfilter.js';

describe('ensureBridgeNetfilter', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-brnf-'));
  after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'bridge-nf-call-iptables');
  const noModule = async () => {
    throw new Error('modprobe: not found');
  };

  it('leaves 1 alone', async () => {
    await writeFile(path, '1\n');
    assert.equal(await ensureBridgeNetfilter({ path, loadModule: noModule }), `${path} was 1`);
  });

  it('sets 0 to 1', async () => {
    await writeFile(path, '0\n');
    assert.equal(await ensureBridgeNetfilter({ path, loadModule: noModule }), `${path} was 0, set to 1`);
    assert.equal(await readFile(path, 'utf8'), '1\n');
  });

  it('loads the module when the sysctl is missing', async () => {
    await rm(path, { force: true });
    const said = await ensureBridgeNetfilter({ path, loadModule: () => writeFile(path, '0\n') });
    assert.equal(said, `loaded br_netfilter; ${path} was 0, set to 1`);
  });

  it('fails loudly when the module cannot be loaded', async () => {
    await rm(path, { force: true });
    await assert.rejects(ensureBridgeNetfilter({ path, loadModule: noModule }), /br_netfilter is not loaded.*modprobe: not found/);
  });
});
