/** batch/v1 types (k8s.io/api/batch/v1); field numbers from upstream's generated.proto. */
import {
  boolean,
  defineTypes,
  field,
  int32,
  int64,
  LABEL_SELECTOR,
  list,
  LIST_META,
  OBJECT_META,
  ref,
  string,
  time,
} from '../../machinery/schema/dsl.js';
import { CORE_V1 } from '../core/types/pod-names.js';

/** Definition-name prefix of this group version. */
export const BATCH_V1 = 'io.k8s.api.batch.v1';

export const JOB = `${BATCH_V1}.Job`;
export const JOB_LIST = `${BATCH_V1}.JobList`;
export const CRON_JOB = `${BATCH_V1}.CronJob`;
export const CRON_JOB_LIST = `${BATCH_V1}.CronJobList`;

defineTypes(
  {
    name: `${BATCH_V1}.Job`,
    description: 'Job represents the configuration of a single job.',
    gvk: { group: 'batch', version: 'v1', kind: 'Job' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${BATCH_V1}.JobSpec`), 'Specification of the desired behavior of a job.'),
      status: field(3, ref(`${BATCH_V1}.JobStatus`), 'Current status of a job.'),
    },
  },
  {
    name: `${BATCH_V1}.JobList`,
    description: 'JobList is a collection of jobs.',
    gvk: { group: 'batch', version: 'v1', kind: 'JobList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${BATCH_V1}.Job`)), 'items is the list of Jobs.'),
    },
  },
  {
    name: `${BATCH_V1}.CronJob`,
    description: 'CronJob represents the configuration of a single cron job.',
    gvk: { group: 'batch', version: 'v1', kind: 'CronJob' },
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      spec: field(2, ref(`${BATCH_V1}.CronJobSpec`), 'Specification of the desired behavior of a cron job, including the schedule.'),
      status: field(3, ref(`${BATCH_V1}.CronJobStatus`), 'Current status of a cron job.'),
    },
  },
  {
    name: `${BATCH_V1}.CronJobList`,
    description: 'CronJobList is a collection of cron jobs.',
    gvk: { group: 'batch', version: 'v1', kind: 'CronJobList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${BATCH_V1}.CronJob`)), 'items is the list of CronJobs.'),
    },
  },
  {
    name: `${BATCH_V1}.JobSpec`,
    description: 'JobSpec describes how the job execution will look like.',
    required: ['template'],
    fields: {
      parallelism: field(1, int32, 'Specifies the maximum desired number of pods the job should run at any given time.'),
      completions: field(
        2,
        int32,
        'Specifies the desired number of successfully finished pods the job should be run with. Setting to null means that the success of any pod signals the success of all pods, and allows parallelism to have any positive value.',
      ),
      activeDeadlineSeconds: field(
        3,
        int64,
        'Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it; value must be positive integer.',
      ),
      podFailurePolicy: field(
        11,
        ref(`${BATCH_V1}.PodFailurePolicy`),
        'Specifies the policy of handling failed pods. In particular, it allows to specify the set of actions and conditions which need to be satisfied to take the associated action.',
      ),
      successPolicy: field(
        16,
        ref(`${BATCH_V1}.SuccessPolicy`),
        'successPolicy specifies the policy when the Job can be declared as succeeded. If empty, the default behavior applies - the Job is declared as succeeded only when the number of succeeded pods equals to the completions.',
      ),
      backoffLimit: field(7, int32, 'Specifies the number of retries before marking this job failed. Defaults to 6'),
      backoffLimitPerIndex: field(
        12,
        int32,
        "Specifies the limit for the number of retries within an index before marking this index as failed. When enabled the number of failures per index is kept in the pod's batch.kubernetes.io/job-index-failure-count annotation.",
      ),
      maxFailedIndexes: field(
        13,
        int32,
        'Specifies the maximal number of failed indexes before marking the Job as failed, when backoffLimitPerIndex is set. Once the number of failed indexes exceeds this number the entire Job is marked as Failed and its execution is terminated.',
      ),
      selector: field(
        4,
        ref(LABEL_SELECTOR),
        'A label query over pods that should match the pod count. Normally, the system sets this field for you.',
      ),
      manualSelector: field(
        5,
        boolean,
        'manualSelector controls generation of pod labels and pod selectors. Leave `manualSelector` unset unless you are certain what you are doing.',
      ),
      template: field(
        6,
        ref(`${CORE_V1}.PodTemplateSpec`),
        'Describes the pod that will be created when executing a job. The only allowed template.spec.restartPolicy values are "Never" or "OnFailure".',
      ),
      ttlSecondsAfterFinished: field(
        8,
        int32,
        'ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution (either Complete or Failed). If this field is set, ttlSecondsAfterFinished after the Job finishes, it is eligible to be automatically deleted.',
      ),
      completionMode: field(
        9,
        string,
        'completionMode specifies how Pod completions are tracked. It can be `NonIndexed` (default) or `Indexed`.',
        { enum: ['NonIndexed', 'Indexed'] },
      ),
      suspend: field(
        10,
        boolean,
        'suspend specifies whether the Job controller should create Pods or not. If a Job is created with suspend set to true, no Pods are created by the Job controller.',
      ),
      podReplacementPolicy: field(14, string, 'podReplacementPolicy specifies when to create replacement Pods.', {
        enum: ['TerminatingOrFailed', 'Failed'],
      }),
      managedBy: field(15, string, 'ManagedBy field indicates the controller that manages a Job.'),
    },
  },
  {
    name: `${BATCH_V1}.JobStatus`,
    description: 'JobStatus represents the current state of a Job.',
    fields: {
      conditions: field(
        1,
        list(ref(`${BATCH_V1}.JobCondition`)),
        'The latest available observations of an object\'s current state. When a Job fails, one of the conditions will have type "Failed" and status true.',
        { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' },
      ),
      startTime: field(
        2,
        time,
        'Represents time when the job controller started processing a job. When a Job is created in the suspended state, this field is not set until the first time it is resumed.',
      ),
      completionTime: field(
        3,
        time,
        'Represents time when the job was completed. It is not guaranteed to be set in happens-before order across separate operations.',
      ),
      active: field(
        4,
        int32,
        'The number of pending and running pods which are not terminating (without a deletionTimestamp). The value is zero for finished jobs.',
      ),
      succeeded: field(5, int32, 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec.'),
      failed: field(6, int32, 'The number of pods which reached phase Failed. The value increases monotonically.'),
      terminating: field(
        11,
        int32,
        'The number of pods which are terminating (in phase Pending or Running and have a deletionTimestamp). This field is beta-level.',
      ),
      completedIndexes: field(
        7,
        string,
        'completedIndexes holds the completed indexes when .spec.completionMode = "Indexed" in a text format. The indexes are represented as decimal integers separated by commas.',
      ),
      failedIndexes: field(
        10,
        string,
        'FailedIndexes holds the failed indexes when spec.backoffLimitPerIndex is set. The indexes are represented in the text format analogous as for the `completedIndexes` field, ie. they are kept as decimal integers separated by commas.',
      ),
      uncountedTerminatedPods: field(
        8,
        ref(`${BATCH_V1}.UncountedTerminatedPods`),
        "uncountedTerminatedPods holds the UIDs of Pods that have terminated but the job controller hasn't yet accounted for in the status counters. The job controller creates pods with a finalizer.",
      ),
      ready: field(
        9,
        int32,
        'The number of active pods which have a Ready condition and are not terminating (without a deletionTimestamp).',
      ),
    },
  },
  {
    name: `${BATCH_V1}.CronJobSpec`,
    description: 'CronJobSpec describes how the job execution will look like and when it will actually run.',
    required: ['schedule', 'jobTemplate'],
    fields: {
      schedule: field(1, string, 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
      timeZone: field(
        8,
        string,
        'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process.',
      ),
      startingDeadlineSeconds: field(
        2,
        int64,
        'Optional deadline in seconds for starting the job if it misses scheduled time for any reason. Missed jobs executions will be counted as failed ones.',
      ),
      concurrencyPolicy: field(3, string, 'Specifies how to treat concurrent executions of a Job.', {
        enum: ['Allow', 'Forbid', 'Replace'],
      }),
      suspend: field(
        4,
        boolean,
        'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false.',
      ),
      jobTemplate: field(5, ref(`${BATCH_V1}.JobTemplateSpec`), 'Specifies the job that will be created when executing a CronJob.'),
      successfulJobsHistoryLimit: field(6, int32, 'The number of successful finished jobs to retain. Value must be non-negative integer.'),
      failedJobsHistoryLimit: field(7, int32, 'The number of failed finished jobs to retain. Value must be non-negative integer.'),
    },
  },
  {
    name: `${BATCH_V1}.CronJobStatus`,
    description: 'CronJobStatus represents the current state of a cron job.',
    fields: {
      active: field(1, list(ref(`${CORE_V1}.ObjectReference`)), 'A list of pointers to currently running jobs.', { listType: 'atomic' }),
      lastScheduleTime: field(4, time, 'Information when was the last time the job was successfully scheduled.'),
      lastSuccessfulTime: field(5, time, 'Information when was the last time the job successfully completed.'),
    },
  },
  {
    name: `${BATCH_V1}.PodFailurePolicy`,
    description: 'PodFailurePolicy describes how failed pods influence the backoffLimit.',
    required: ['rules'],
    fields: {
      rules: field(
        1,
        list(ref(`${BATCH_V1}.PodFailurePolicyRule`)),
        'A list of pod failure policy rules. The rules are evaluated in order.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${BATCH_V1}.SuccessPolicy`,
    description: 'SuccessPolicy describes when a Job can be declared as succeeded based on the success of some indexes.',
    required: ['rules'],
    fields: {
      rules: field(
        1,
        list(ref(`${BATCH_V1}.SuccessPolicyRule`)),
        'rules represents the list of alternative rules for the declaring the Jobs as successful before `.status.succeeded >= .spec.completions`. Once any of the rules are met, the "SucceededCriteriaMet" condition is added, and the lingering pods are removed.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${BATCH_V1}.JobCondition`,
    description: 'JobCondition describes current state of a job.',
    required: ['type', 'status'],
    fields: {
      type: field(1, string, 'Type of job condition, Complete or Failed.'),
      status: field(2, string, 'Status of the condition, one of True, False, Unknown.'),
      lastProbeTime: field(3, time, 'Last time the condition was checked.'),
      lastTransitionTime: field(4, time, 'Last time the condition transit from one status to another.'),
      reason: field(5, string, "(brief) reason for the condition's last transition."),
      message: field(6, string, 'Human readable message indicating details about last transition.'),
    },
  },
  {
    name: `${BATCH_V1}.UncountedTerminatedPods`,
    description: "UncountedTerminatedPods holds UIDs of Pods that have terminated but haven't been accounted in Job status counters.",
    fields: {
      succeeded: field(1, list(string), 'succeeded holds UIDs of succeeded Pods.', { listType: 'set' }),
      failed: field(2, list(string), 'failed holds UIDs of failed Pods.', { listType: 'set' }),
    },
  },
  {
    name: `${BATCH_V1}.JobTemplateSpec`,
    description: 'JobTemplateSpec describes the data a Job should have when created from a template',
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata of the jobs created from this template."),
      spec: field(2, ref(`${BATCH_V1}.JobSpec`), 'Specification of the desired behavior of the job.'),
    },
  },
  {
    name: `${BATCH_V1}.PodFailurePolicyRule`,
    description:
      'PodFailurePolicyRule describes how a pod failure is handled when the requirements are met. One of onExitCodes and onPodConditions, but not both, can be used in each rule.',
    required: ['action'],
    fields: {
      action: field(1, string, 'Specifies the action taken on a pod failure when the requirements are satisfied.', {
        enum: ['FailJob', 'FailIndex', 'Ignore', 'Count'],
      }),
      onExitCodes: field(
        2,
        ref(`${BATCH_V1}.PodFailurePolicyOnExitCodesRequirement`),
        'Represents the requirement on the container exit codes.',
      ),
      onPodConditions: field(
        3,
        list(ref(`${BATCH_V1}.PodFailurePolicyOnPodConditionsPattern`)),
        'Represents the requirement on the pod conditions. The requirement is represented as a list of pod condition patterns.',
        { listType: 'atomic' },
      ),
    },
  },
  {
    name: `${BATCH_V1}.SuccessPolicyRule`,
    description:
      'SuccessPolicyRule describes rule for declaring a Job as succeeded. Each rule must have at least one of the "succeededIndexes" or "succeededCount" specified.',
    fields: {
      succeededIndexes: field(
        1,
        string,
        'succeededIndexes specifies the set of indexes which need to be contained in the actual set of the succeeded indexes for the Job. The list of indexes must be within 0 to ".spec.completions-1" and must not contain duplicates.',
      ),
      succeededCount: field(
        2,
        int32,
        'succeededCount specifies the minimal required size of the actual set of the succeeded indexes for the Job. When succeededCount is used along with succeededIndexes, the check is constrained only to the set of indexes specified by succeededIndexes.',
      ),
    },
  },
  {
    name: `${BATCH_V1}.PodFailurePolicyOnExitCodesRequirement`,
    description:
      'PodFailurePolicyOnExitCodesRequirement describes the requirement for handling a failed pod based on its container exit codes.',
    required: ['operator', 'values'],
    fields: {
      containerName: field(
        1,
        string,
        'Restricts the check for exit codes to the container with the specified name. When null, the rule applies to all containers.',
      ),
      operator: field(
        2,
        string,
        'Represents the relationship between the container exit code(s) and the specified values. Containers completed with success (exit code 0) are excluded from the requirement check.',
        { enum: ['In', 'NotIn'] },
      ),
      values: field(
        3,
        list(int32),
        'Specifies the set of values. Each returned container exit code (might be multiple in case of multiple containers) is checked against this set of values with respect to the operator.',
        { listType: 'set' },
      ),
    },
  },
  {
    name: `${BATCH_V1}.PodFailurePolicyOnPodConditionsPattern`,
    description: 'PodFailurePolicyOnPodConditionsPattern describes a pattern for matching an actual pod condition type.',
    required: ['type', 'status'],
    fields: {
      type: field(
        1,
        string,
        'Specifies the required Pod condition type. To match a pod condition it is required that specified type equals the pod condition type.',
      ),
      status: field(
        2,
        string,
        'Specifies the required Pod condition status. To match a pod condition it is required that the specified status equals the pod condition status.',
      ),
    },
  },
);
