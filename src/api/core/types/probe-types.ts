/** core/v1: Probes and lifecycle hooks with their handler actions. */
import type { FieldDef } from '../../../machinery/schema/dsl.js';
import { defineTypes, field, int32, int64, intOrString, list, ref, string } from '../../../machinery/schema/dsl.js';
import { embed } from './pod-embedding.js';
import {
  EXEC_ACTION,
  GRPC_ACTION,
  HTTP_GET_ACTION,
  HTTP_HEADER,
  LIFECYCLE,
  LIFECYCLE_HANDLER,
  PROBE,
  PROBE_HANDLER,
  SLEEP_ACTION,
  TCP_SOCKET_ACTION,
} from './pod-names.js';

/** The fields of ProbeHandler, also inlined (JSON) into the types that embed it. */
export const probeHandlerFields: Readonly<Record<string, FieldDef>> = {
  exec: field(1, ref(EXEC_ACTION), 'Exec specifies a command to execute in the container.'),
  httpGet: field(2, ref(HTTP_GET_ACTION), 'HTTPGet specifies an HTTP GET request to perform.'),
  tcpSocket: field(3, ref(TCP_SOCKET_ACTION), 'TCPSocket specifies a connection to a TCP port.'),
  grpc: field(4, ref(GRPC_ACTION), 'GRPC specifies a GRPC HealthCheckRequest.'),
};

/** Signal names a container may be stopped with (Lifecycle.stopSignal, ContainerStatus.stopSignal). */
export const STOP_SIGNALS: readonly string[] = [
  'SIGABRT',
  'SIGALRM',
  'SIGBUS',
  'SIGCHLD',
  'SIGCLD',
  'SIGCONT',
  'SIGFPE',
  'SIGHUP',
  'SIGILL',
  'SIGINT',
  'SIGIO',
  'SIGIOT',
  'SIGKILL',
  'SIGPIPE',
  'SIGPOLL',
  'SIGPROF',
  'SIGPWR',
  'SIGQUIT',
  'SIGRTMAX',
  'SIGRTMAX-1',
  'SIGRTMAX-10',
  'SIGRTMAX-11',
  'SIGRTMAX-12',
  'SIGRTMAX-13',
  'SIGRTMAX-14',
  'SIGRTMAX-2',
  'SIGRTMAX-3',
  'SIGRTMAX-4',
  'SIGRTMAX-5',
  'SIGRTMAX-6',
  'SIGRTMAX-7',
  'SIGRTMAX-8',
  'SIGRTMAX-9',
  'SIGRTMIN',
  'SIGRTMIN+1',
  'SIGRTMIN+10',
  'SIGRTMIN+11',
  'SIGRTMIN+12',
  'SIGRTMIN+13',
  'SIGRTMIN+14',
  'SIGRTMIN+15',
  'SIGRTMIN+2',
  'SIGRTMIN+3',
  'SIGRTMIN+4',
  'SIGRTMIN+5',
  'SIGRTMIN+6',
  'SIGRTMIN+7',
  'SIGRTMIN+8',
  'SIGRTMIN+9',
  'SIGSEGV',
  'SIGSTKFLT',
  'SIGSTOP',
  'SIGSYS',
  'SIGTERM',
  'SIGTRAP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGUSR1',
  'SIGUSR2',
  'SIGVTALRM',
  'SIGWINCH',
  'SIGXCPU',
  'SIGXFSZ',
];

defineTypes(
  {
    name: PROBE,
    description:
      'Probe describes a health check to be performed against a container to determine whether it is alive or ready to receive traffic.',
    fields: {
      ...embed(PROBE, 1, PROBE_HANDLER, probeHandlerFields),
      initialDelaySeconds: field(
        2,
        int32,
        'Number of seconds after the container has started before liveness probes are initiated. More info: https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle#container-probes',
      ),
      timeoutSeconds: field(3, int32, 'Number of seconds after which the probe times out. Defaults to 1 second.'),
      periodSeconds: field(4, int32, 'How often (in seconds) to perform the probe. Default to 10 seconds.'),
      successThreshold: field(
        5,
        int32,
        'Minimum consecutive successes for the probe to be considered successful after having failed. Defaults to 1.',
      ),
      failureThreshold: field(
        6,
        int32,
        'Minimum consecutive failures for the probe to be considered failed after having succeeded. Defaults to 3.',
      ),
      terminationGracePeriodSeconds: field(
        7,
        int64,
        'Optional duration in seconds the pod needs to terminate gracefully upon probe failure. The grace period is the duration in seconds after the processes running in the pod are sent a termination signal and the time when the processes are forcibly halted with a kill signal.',
      ),
    },
  },
  {
    name: PROBE_HANDLER,
    description:
      'ProbeHandler defines a specific action that should be taken in a probe. One and only one of the fields must be specified.',
    fields: probeHandlerFields,
  },
  {
    name: EXEC_ACTION,
    description: 'ExecAction describes a "run in container" action.',
    fields: {
      command: field(
        1,
        list(string),
        "Command is the command line to execute inside the container, the working directory for the command is root ('/') in the container's filesystem.",
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: HTTP_GET_ACTION,
    description: 'HTTPGetAction describes an action based on HTTP Get requests.',
    required: ['port'],
    fields: {
      path: field(1, string, 'Path to access on the HTTP server.'),
      port: field(2, intOrString, 'Name or number of the port to access on the container. Number must be in the range 1 to 65535.'),
      host: field(3, string, 'Host name to connect to, defaults to the pod IP. You probably want to set "Host" in httpHeaders instead.'),
      scheme: field(4, string, 'Scheme to use for connecting to the host. Defaults to HTTP.', { enum: ['HTTP', 'HTTPS'] }),
      httpHeaders: field(5, list(ref(HTTP_HEADER)), 'Custom headers to set in the request. HTTP allows repeated headers.', {
        listType: 'atomic',
      }),
    },
  },
  {
    name: HTTP_HEADER,
    description: 'HTTPHeader describes a custom header to be used in HTTP probes.',
    required: ['name', 'value'],
    fields: {
      name: field(
        1,
        string,
        'The header field name. This will be canonicalized upon output, so case-variant names will be understood as the same header.',
      ),
      value: field(2, string, 'The header field value.'),
    },
  },
  {
    name: TCP_SOCKET_ACTION,
    description: 'TCPSocketAction describes an action based on opening a socket.',
    required: ['port'],
    fields: {
      port: field(1, intOrString, 'Number or name of the port to access on the container. Number must be in the range 1 to 65535.'),
      host: field(2, string, 'Optional: Host name to connect to, defaults to the pod IP.'),
    },
  },
  {
    name: GRPC_ACTION,
    description: 'GRPCAction specifies an action involving a GRPC service.',
    required: ['port'],
    fields: {
      port: field(1, int32, 'Port number of the gRPC service. Number must be in the range 1 to 65535.'),
      service: field(
        2,
        string,
        'Service is the name of the service to place in the gRPC HealthCheckRequest (see https://github.com/grpc/grpc/blob/master/doc/health-checking.md).',
        { default: '' },
      ),
    },
  },
  {
    name: LIFECYCLE,
    description: 'Lifecycle describes actions that the management system should take in response to container lifecycle events.',
    fields: {
      postStart: field(
        1,
        ref(LIFECYCLE_HANDLER),
        'PostStart is called immediately after a container is created. If the handler fails, the container is terminated and restarted according to its restart policy.',
      ),
      preStop: field(
        2,
        ref(LIFECYCLE_HANDLER),
        'PreStop is called immediately before a container is terminated due to an API request or management event such as liveness/startup probe failure, preemption, resource contention, etc.',
      ),
      stopSignal: field(
        3,
        string,
        'StopSignal defines which signal will be sent to a container when it is being stopped. If not specified, the default is defined by the container runtime in use.',
        {
          enum: STOP_SIGNALS,
        },
      ),
    },
  },
  {
    name: LIFECYCLE_HANDLER,
    description:
      'LifecycleHandler defines a specific action that should be taken in a lifecycle hook. One and only one of the fields, except TCPSocket must be specified.',
    fields: {
      exec: field(1, ref(EXEC_ACTION), 'Exec specifies a command to execute in the container.'),
      httpGet: field(2, ref(HTTP_GET_ACTION), 'HTTPGet specifies an HTTP GET request to perform.'),
      tcpSocket: field(
        3,
        ref(TCP_SOCKET_ACTION),
        'Deprecated. TCPSocket is NOT supported as a LifecycleHandler and kept for backward compatibility.',
      ),
      sleep: field(4, ref(SLEEP_ACTION), 'Sleep represents a duration that the container should sleep.'),
    },
  },
  {
    name: SLEEP_ACTION,
    description: 'SleepAction describes a "sleep" action.',
    required: ['seconds'],
    fields: {
      seconds: field(1, int64, 'Seconds is the number of seconds to sleep.'),
    },
  },
);
