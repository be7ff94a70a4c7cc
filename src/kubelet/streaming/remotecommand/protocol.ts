/**
 * The remotecommand protocol's constants and status messages (apimachinery
 * util/remotecommand/constants.go, kubelet cri/streaming/remotecommand): stream types, protocol
 * names, and the metav1.Status the v4+ error stream carries when the command ends — Success, or
 * Failure with reason NonZeroExitCode and a cause ExitCode holding the code, or an InternalError.
 */

export const StreamType = {
  error: 'error',
  stdin: 'stdin',
  stdout: 'stdout',
  stderr: 'stderr',
  resize: 'resize',
} as const;

export const STREAM_PROTOCOL_V5 = 'v5.channel.k8s.io';
export const STREAM_PROTOCOL_V4 = 'v4.channel.k8s.io';

/** The protocols the kubelet speaks over SPDY, best first; v5 is v4 there (its close signal is WebSocket-only). */
export const SPDY_REMOTE_COMMAND_PROTOCOLS = [STREAM_PROTOCOL_V5, STREAM_PROTOCOL_V4] as const;
/** WebSocket subprotocols (binary channels; v5 adds the close channel 255). */
export const WEBSOCKET_REMOTE_COMMAND_PROTOCOLS = [STREAM_PROTOCOL_V5, STREAM_PROTOCOL_V4] as const;

export const NON_ZERO_EXIT_CODE_REASON = 'NonZeroExitCode';
export const EXIT_CODE_CAUSE_TYPE = 'ExitCode';

/** The metav1.Status of the error stream (what v4 clients decode). */
export interface RemoteCommandStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes: { reason?: string; message: string }[] };
}

export function successStatus(): RemoteCommandStatus {
  return { metadata: {}, status: 'Success' };
}

/** The status of a command that exited with a non-zero code. */
export function exitCodeStatus(exitCode: number, command: readonly string[]): RemoteCommandStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: NON_ZERO_EXIT_CODE_REASON,
    details: { causes: [{ reason: EXIT_CODE_CAUSE_TYPE, message: String(exitCode) }] },
  };
}

/** apierrors.NewInternalError(err) of a failed exec or attach. */
export function internalErrorStatus(message: string): RemoteCommandStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: ${message}`,
    reason: 'InternalError',
    code: 500,
    details: { causes: [{ message }] },
  };
}

/**
 * The exit code a status reports: 0 for Success, the ExitCode cause of NonZeroExitCode; any other
 * failure throws its message.
 */
export function exitCodeOf(status: RemoteCommandStatus): number {
  if (status.status === 'Success') return 0;
  if (status.reason === NON_ZERO_EXIT_CODE_REASON) {
    const cause = status.details?.causes.find((c) => c.reason === EXIT_CODE_CAUSE_TYPE);
    const code = Number(cause?.message);
    if (Number.isInteger(code)) return code;
  }
  throw new Error(status.message ?? 'remote command failed');
}
