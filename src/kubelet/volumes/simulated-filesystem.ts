/**
 * The volume filesystem of simulated nodes: nothing touches the disk, so thousands of fake pods
 * with volumes cost no directories, mounts or files. Paths are computed as on a real node and
 * subPaths get the lexical check against escaping the volume.
 */
import { join } from 'node:path';
import { pathWithinBase } from './disk-filesystem.js';
import { validatePayloadPath } from './atomic-writer.js';
import type { Payload, VolumeFilesystem } from './interface.js';

export class SimulatedVolumeFilesystem implements VolumeFilesystem {
  async makeDir(): Promise<boolean> {
    return false;
  }
  async mountTmpfs(): Promise<boolean> {
    return false;
  }
  async mountNfs(): Promise<void> {}
  async setOwnership(): Promise<void> {}
  async writePayload(_dir: string, payload: Payload): Promise<boolean> {
    for (const path of payload.keys()) validatePayloadPath(path);
    return false;
  }
  async checkHostPath(): Promise<void> {}
  async resolveSubPath(volumePath: string, subPath: string): Promise<string> {
    const full = join(volumePath, subPath);
    if (!pathWithinBase(full, volumePath)) throw new Error(`subpath "${full}" not within volume path "${volumePath}"`);
    return full;
  }
  async removeAll(): Promise<void> {}
  async list(): Promise<string[]> {
    return [];
  }
}
