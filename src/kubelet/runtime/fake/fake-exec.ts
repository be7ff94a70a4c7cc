/**
 * What an exec does in a simulated container (the fake runtime runs no processes): a few
 * commands are simulated so exec is testable on simulated nodes —
 *
 *   echo ARGS…        prints ARGS and a newline            hostname   prints the pod's host name
 *   cat               copies stdin to stdout               true/false exit 0 / 1
 *   sh -c 'exit N'    exits N                              sh -c 'echo …'  as echo
 *
 * anything else prints `sh: CMD: not found` on stderr and exits 127, as a shell would.
 */
import type { Readable, Writable } from 'node:stream';
import type { StreamingIO } from '../interface.js';

function write(to: Writable | undefined, text: string): Promise<void> {
  if (!to || text === '') return Promise.resolve();
  return new Promise((resolve) => to.write(text, () => resolve()));
}

function copy(from: Readable | undefined, to: Writable | undefined): Promise<void> {
  if (!from) return Promise.resolve();
  return new Promise((resolve) => {
    from.on('data', (c: Buffer) => to?.write(c));
    from.once('end', resolve);
    from.once('close', resolve);
  });
}

/** Runs a simulated command; resolves with its exit code. */
export async function simulateExec(cmd: readonly string[], io: StreamingIO, hostname: string): Promise<number> {
  const [name = '', ...args] = cmd;
  if ((name === 'sh' || name === '/bin/sh') && args[0] === '-c' && args[1] !== undefined) {
    const script = args[1].trim();
    const exit = /^exit\s+(\d{1,3})$/.exec(script);
    if (exit) return Number(exit[1]) & 0xff;
    return simulateExec(script.split(/\s+/), io, hostname);
  }
  const out = io.tty ? io.stdout : io.stderr;
  switch (name) {
    case 'echo':
      await write(io.stdout, `${args.join(' ')}\n`);
      return 0;
    case 'hostname':
      await write(io.stdout, `${hostname}\n`);
      return 0;
    case 'cat':
      await copy(io.stdin, io.stdout);
      return 0;
    case 'true':
      return 0;
    case 'false':
      return 1;
    default:
      await write(out, `sh: ${name}: not found\n`);
      return 127;
  }
}
