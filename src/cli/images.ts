/**
 * `k8ts images`: the images of this machine's node, in k8ts' own containerd (the socket under
 * DATA/agent/containerd) or in the CRI runtime at --container-runtime-endpoint.
 *
 *   k8ts images import FILE… [--data-dir DIR | --container-runtime-endpoint unix:///SOCKET]
 *   k8ts images list [--data-dir DIR | --container-runtime-endpoint unix:///SOCKET]
 */
import { parseArgs } from 'node:util';
import { canConnect } from '../kubelet/containerd/supervisor.js';
import { importImages, listImages } from '../kubelet/images/import.js';
import { realNodeLayout } from '../kubelet/real-node.js';
import { defaultDataDir } from './server-flags.js';

export interface ImagesFlags {
  command: 'import' | 'list';
  files: string[];
  /** containerd's socket. */
  socket: string;
}

/** The socket path of a `unix:///…` endpoint. */
export function unixEndpointPath(flag: string, endpoint: string): string {
  const m = /^unix:\/\/(\/.+)$/.exec(endpoint);
  if (!m) throw new Error(`${flag}: want unix:///path/to/socket, got "${endpoint}"`);
  return m[1] as string;
}

export function parseImagesFlags(argv: string[]): ImagesFlags {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      'container-runtime-endpoint': { type: 'string' },
    },
  });
  const [command, ...files] = positionals;
  if (command !== 'import' && command !== 'list') throw new Error(`images: want "import FILE…" or "list", got "${command ?? ''}"`);
  if (command === 'import' && files.length === 0) throw new Error('images import: no FILE given');
  if (command === 'list' && files.length > 0) throw new Error(`images list: unexpected argument "${files[0]}"`);
  const endpoint = values['container-runtime-endpoint'];
  if (endpoint !== undefined && values['data-dir'] !== undefined) {
    throw new Error('images: give --data-dir or --container-runtime-endpoint, not both');
  }
  const socket =
    endpoint !== undefined
      ? unixEndpointPath('--container-runtime-endpoint', endpoint)
      : realNodeLayout(values['data-dir'] ?? defaultDataDir()).containerd.socket;
  return { command, files, socket };
}

/** `k8ts images …`. */
export async function runImages(argv: string[]): Promise<void> {
  const flags = parseImagesFlags(argv);
  if (!(await canConnect(flags.socket))) {
    throw new Error(
      `no containerd is running at ${flags.socket} (start k8ts server or agent with --runtime containerd, or give --data-dir)`,
    );
  }
  if (flags.command === 'import') {
    await importImages(flags.files, { address: flags.socket });
    for (const file of flags.files) console.log(`imported ${file}`);
    return;
  }
  for (const ref of (await listImages({ address: flags.socket })).sort()) console.log(ref);
}
