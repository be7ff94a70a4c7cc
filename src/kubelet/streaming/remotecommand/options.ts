/**
 * The query of /exec and /attach (upstream remotecommand NewOptions): which streams the client
 * wants, whether it wants a tty, and the command (exec). A tty merges stderr into stdout, so
 * stderr is dropped then. At least one stream must be asked for. Flags are "1" from upstream's
 * apiserver and "true" from ours (it passes kubectl's query on as it came), so both count.
 */
import { KubeletHttpError } from '../../server/interface.js';

export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  command: string[];
}

function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === '1' || v?.toLowerCase() === 'true';
}

export function remoteCommandOptions(q: URLSearchParams): RemoteCommandOptions {
  const tty = flag(q, 'tty');
  const options = { stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr'), tty, command: q.getAll('command') };
  if (tty && options.stderr) options.stderr = false;
  if (!options.stdin && !options.stdout && !options.stderr) {
    throw new KubeletHttpError(400, 'you must specify at least 1 of stdin, stdout, stderr');
  }
  return options;
}
