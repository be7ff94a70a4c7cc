/**
 * A private containerd for tests that run real containers: a fresh temp dir, a conflist for a
 * test-only subnet (10.250.X.0/24) and bridge (k8tst<4 random>), the pause and busybox images
 * built from the host's busybox-static and imported. stop() removes everything it made — even
 * after a failed test; a later start also sweeps what a killed test process left behind.
 *
 *   containerdUnavailable(): Promise<string | undefined>   // why it cannot run here; throws instead under CI=true
 *   startTestContainerd(options?: TestContainerdOptions): Promise<TestContainerd>
 *
 * Use: `const skip = await containerdUnavailable(); describe('…', { skip }, () => { … })`, start in
 * before() and stop in after().
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../../command.js';
import { writeBusyboxImage } from '../../images/busybox-image.js';
import { importImages } from '../../images/import.js';
import type { OciImage } from '../../images/oci-archive.js';
import { PAUSE_IMAGE, writePauseImage } from '../../images/pause-image.js';
import { writeConflist } from '../../cni/conflist.js';
import { type ContainerdLayout, containerdLayout, writeContainerdConfig } from '../config.js';
import { missingOf, NODE_FILES, NODE_PACKAGES, NODE_PROGRAMS } from '../prerequisites.js';
import { ContainerdSupervisor } from '../supervisor.js';
import { killStrayContainerd, teardownContainerd } from '../teardown.js';
import { cleanupCniNetwork, hostportChainsExist } from './cni-cleanup.js';

export interface TestContainerd {
  /** containerd's gRPC socket (CRI and ctr). */
  socket: string;
  /** The temp dir everything lives in. */
  dir: string;
  layout: ContainerdLayout;
  supervisor: ContainerdSupervisor;
  images: { pause: OciImage; busybox: OciImage };
  /** The Linux bridge the CNI bridge plugin creates at the first sandbox; also the CNI network's name. */
  bridge: string;
  /** The pod subnet, e.g. 10.250.17.0/24. */
  subnet: string;
  /** Stops containerd and removes its containers, mounts, bridge, iptables rules and dir. */
  stop(): Promise<void>;
}

/** What a sweep needs to clean up after a test process that died. */
interface TestContainerdRecord {
  ownerPid: number;
  bridge: string;
  subnet: string;
  hostportChainsExisted: boolean;
}

const PREFIX = 'k8ts-ctd-';
const RECORD = 'test-containerd.json';
const PACKAGES = `apt-get install ${NODE_PACKAGES}`;

async function missing(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'real containers need Linux';
  if (process.getuid?.() !== 0) return 'real containers need root';
  const programs = [...NODE_PROGRAMS, 'ip', 'iptables-save', 'iptables-restore', 'umount'];
  const absent = await missingOf(programs, NODE_FILES);
  return absent.length > 0 ? `missing ${absent.join(', ')} (${PACKAGES})` : undefined;
}

export async function containerdUnavailable(): Promise<string | undefined> {
  const reason = await missing();
  if (reason && process.env.CI === 'true') throw new Error(`tests with a real containerd must run under CI, but: ${reason}`);
  return reason;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function cleanup(dir: string, record: TestContainerdRecord | undefined): Promise<void> {
  const errors: unknown[] = [];
  const step = (p: Promise<unknown>) => p.catch((e: unknown) => errors.push(e));
  const layout = containerdLayout(dir);
  await step(killStrayContainerd(layout));
  await step(teardownContainerd(layout));
  if (record)
    await step(cleanupCniNetwork({ name: record.bridge, bridge: record.bridge, hostportChainsExisted: record.hostportChainsExisted }));
  await step(rm(dir, { recursive: true, force: true }));
  if (errors.length > 0) throw new AggregateError(errors, `cleaning up the test containerd in ${dir}`);
}

/** The records of test containerds in the temp dir; those whose test process is gone are cleaned up. */
async function sweep(): Promise<TestContainerdRecord[]> {
  const live: TestContainerdRecord[] = [];
  for (const name of await readdir(tmpdir()).catch(() => [])) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const text = await readFile(join(dir, RECORD), 'utf8').catch(() => undefined);
    if (text === undefined) continue; // being created, or not ours
    const record = JSON.parse(text) as TestContainerdRecord;
    if (alive(record.ownerPid)) live.push(record);
    else await cleanup(dir, record).catch((e: Error) => process.stderr.write(`sweeping ${dir}: ${e.message}\n`));
  }
  return live;
}

/** A /24 in 10.250.0.0/16 that no interface, route or other test uses. */
async function pickSubnet(taken: TestContainerdRecord[]): Promise<string> {
  const used = (await runCommand('ip', ['-4', '-o', 'addr'])).stdout + (await runCommand('ip', ['-4', 'route'])).stdout;
  for (let i = 0; i < 64; i++) {
    const x = randomBytes(1)[0] ?? 0;
    const prefix = `10.250.${x}.`;
    if (!used.includes(prefix) && !taken.some((r) => r.subnet.startsWith(prefix))) return `${prefix}0/24`;
  }
  throw new Error('no free test subnet in 10.250.0.0/16');
}

export interface TestContainerdOptions {
  /** Write the conflist for `subnet` before containerd starts (default true); without it CRI says NetworkReady=false. */
  conflist?: boolean;
}

export async function startTestContainerd(options: TestContainerdOptions = {}): Promise<TestContainerd> {
  const reason = await containerdUnavailable();
  if (reason) throw new Error(`cannot start a test containerd: ${reason}`);
  const live = await sweep();
  const dir = await mkdtemp(join(tmpdir(), PREFIX));
  const bridge = `k8tst${randomBytes(2).toString('hex')}`;
  const record: TestContainerdRecord = {
    ownerPid: process.pid,
    bridge,
    subnet: await pickSubnet(live),
    hostportChainsExisted: await hostportChainsExist(),
  };
  await writeFile(join(dir, RECORD), JSON.stringify(record));
  const layout = containerdLayout(dir);
  const supervisor = new ContainerdSupervisor({ layout, backoff: { initialMs: 100, maxMs: 2_000 } });
  try {
    await writeContainerdConfig(layout, { sandboxImage: PAUSE_IMAGE });
    if (options.conflist !== false) {
      await writeConflist(layout.cniConfDir, { podCIDRs: [record.subnet], ipamDataDir: layout.cniDataDir, bridge, name: bridge });
    }
    const archives = join(dir, 'images');
    await mkdir(archives);
    const pause = await writePauseImage(join(archives, 'pause.tar'));
    const busybox = await writeBusyboxImage(join(archives, 'busybox.tar'));
    await supervisor.start();
    await importImages([join(archives, 'pause.tar'), join(archives, 'busybox.tar')], { address: layout.socket });
    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= (async () => {
        await supervisor.stop().catch(() => undefined);
        await cleanup(dir, record);
      })();
      return stopped;
    };
    return { socket: layout.socket, dir, layout, supervisor, images: { pause, busybox }, bridge, subnet: record.subnet, stop };
  } catch (err) {
    await supervisor.stop().catch(() => undefined);
    await cleanup(dir, record).catch(() => undefined);
    throw err;
  }
}
