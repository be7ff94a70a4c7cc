/**
 * Runs a host program (ctr, umount, ip, iptables …) to completion and returns its output; a
 * non-zero exit is a CommandError with the program's own words.
 *
 *   runCommand(file: string, args: string[], options?: { signal?: AbortSignal; input?: string }): Promise<CommandOutput>
 */
import { execFile } from 'node:child_process';

export interface CommandOutput {
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  readonly code = 'CommandFailed';
  readonly command: string;
  readonly exitCode: number | null;
  readonly stderr: string;
  constructor(command: string, exitCode: number | null, stderr: string, cause?: unknown) {
    const said = stderr.trim().split('\n').slice(-3).join('; ');
    super(`${command}: ${said || (exitCode === null ? 'could not run' : `exit code ${exitCode}`)}`, { cause });
    this.name = 'CommandError';
    this.command = command;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

export function runCommand(file: string, args: string[], options: { signal?: AbortSignal; input?: string } = {}): Promise<CommandOutput> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { signal: options.signal, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (!err) return resolve({ stdout, stderr });
      if (options.signal?.aborted) return reject(err);
      const exitCode = typeof err.code === 'number' ? err.code : null;
      reject(new CommandError([file, ...args].join(' '), exitCode, stderr || err.message, err));
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
