/**
 * GET /containerLogs/{namespace}/{pod}/{container} (upstream server.go getContainerLogs): the
 * container's CRI log file with the PodLogOptions the apiserver passed on (follow, previous,
 * tailLines, sinceSeconds, sinceTime, timestamps, limitBytes), as text/plain, flushed as it is
 * read. Simulated containers answer their simulated log (logs/simulated-logs.ts).
 */
import { logContainer } from '../logs/log-container.js';
import { type ContainerLogOptions, readContainerLogs, writeContainerLogText } from '../logs/read-logs.js';
import { simulatedContainerLog } from '../logs/simulated-logs.js';
import { KubeletHttpError, type KubeletRoute } from './interface.js';
import { responseOf } from './respond.js';

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new KubeletHttpError(400, `invalid ${name}: ${v}`);
  return n;
}

function bool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v !== null && v !== '0' && v.toLowerCase() !== 'false';
}

/** The log options of the query; `now` for sinceSeconds. */
export function containerLogOptions(q: URLSearchParams, now: number): ContainerLogOptions & { previous: boolean } {
  const opts: ContainerLogOptions & { previous: boolean } = {
    follow: bool(q, 'follow'),
    previous: bool(q, 'previous'),
    timestamps: bool(q, 'timestamps'),
  };
  const tailLines = int(q, 'tailLines');
  const limitBytes = int(q, 'limitBytes');
  const sinceSeconds = int(q, 'sinceSeconds');
  const sinceTime = q.get('sinceTime');
  if (tailLines !== undefined && tailLines >= 0) opts.tailLines = tailLines;
  if (limitBytes !== undefined && limitBytes > 0) opts.limitBytes = limitBytes;
  if (sinceSeconds !== undefined) opts.since = now - sinceSeconds * 1000;
  else if (sinceTime !== null) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) throw new KubeletHttpError(400, `invalid sinceTime: ${sinceTime}`);
    opts.since = t;
  }
  return opts;
}

export const containerLogsRoute: KubeletRoute = {
  methods: ['GET'],
  path: '/containerLogs/{namespace}/{pod}/{container}',
  serve: async (ctx) => {
    const res = responseOf(ctx);
    const { pod, kubelet } = ctx.target as NonNullable<typeof ctx.target>;
    const opts = containerLogOptions(ctx.url.searchParams, Date.now());
    const container = await logContainer(kubelet, pod, ctx.params['container'] ?? '', opts.previous);
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.flushHeaders();
    if (kubelet.runtimeName === 'fake') {
      await writeContainerLogText(simulatedContainerLog(container), opts, res);
      res.end();
      return;
    }
    const closed = new AbortController();
    res.once('close', () => closed.abort());
    const isRunning = async (): Promise<boolean> => {
      const s = await kubelet.runtime.containerStatus(container.id).catch(() => undefined);
      return s?.state === 'CONTAINER_RUNNING';
    };
    await readContainerLogs(container.logPath, opts, res, { isRunning, signal: closed.signal });
    res.end();
  },
};
