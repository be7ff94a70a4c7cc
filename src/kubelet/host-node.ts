/**
 * What a real node reports about the machine it runs on (the kubelet's cadvisor and
 * nodestatus setters, reduced): its name and InternalIP, capacity (CPUs, memory, pods, the
 * data dir's file system) and node info (kernel, OS image, machine, system and boot IDs).
 *
 *   hostNodeName(): string                        // os.hostname(), lowercased
 *   firstHostIPv4(): string | undefined           // the first non-internal IPv4 address
 *   hostCapacity(dataDir: string): Promise<NodeCapacity>
 *   hostInfo(): Promise<HostInfo>
 */
import { createHash } from 'node:crypto';
import { readFile, statfs } from 'node:fs/promises';
import { availableParallelism, hostname, networkInterfaces, release, totalmem } from 'node:os';
import type { NodeCapacity } from './node-status.js';

export const DEFAULT_MAX_PODS = 110;

export function hostNodeName(): string {
  return hostname().toLowerCase();
}

export function firstHostIPv4(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export async function hostCapacity(dataDir: string): Promise<NodeCapacity> {
  const fs = await statfs(dataDir);
  return {
    cpu: String(availableParallelism()),
    memory: String(totalmem()),
    pods: String(DEFAULT_MAX_PODS),
    ephemeralStorage: String(fs.bsize * fs.blocks),
  };
}

export interface HostInfo {
  kernelVersion: string;
  osImage: string;
  machineID: string;
  systemUUID?: string;
  bootID?: string;
}

const readTrimmed = (path: string): Promise<string | undefined> =>
  readFile(path, 'utf8').then(
    (s) => s.trim() || undefined,
    () => undefined,
  );

/** PRETTY_NAME of an os-release file (unquoted), e.g. "Debian GNU/Linux 12 (bookworm)". */
export function osReleasePrettyName(text: string): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith('PRETTY_NAME='));
  if (!line) return undefined;
  const value = line.slice('PRETTY_NAME='.length).trim();
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

export async function hostInfo(): Promise<HostInfo> {
  const osRelease = (await readTrimmed('/etc/os-release')) ?? (await readTrimmed('/usr/lib/os-release')) ?? '';
  const machineID =
    (await readTrimmed('/etc/machine-id')) ?? createHash('sha256').update(`k8ts-node/${hostNodeName()}`).digest('hex').slice(0, 32);
  const systemUUID = await readTrimmed('/sys/class/dmi/id/product_uuid');
  const bootID = await readTrimmed('/proc/sys/kernel/random/boot_id');
  return {
    kernelVersion: release(),
    osImage: osReleasePrettyName(osRelease) ?? 'Linux',
    machineID,
    ...(systemUUID ? { systemUUID: systemUUID.toLowerCase() } : {}),
    ...(bootID ? { bootID } : {}),
  };
}
