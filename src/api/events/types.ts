/** events.k8s.io/v1 types (k8s.io/api/events/v1); field numbers from upstream's generated.proto. */
import { defineTypes, field, int32, list, LIST_META, microtime, OBJECT_META, ref, string, time } from '../../machinery/schema/dsl.js';
import { CORE_V1 } from '../core/types/pod-names.js';

/** Definition-name prefix of this group version. */
export const EVENTS_V1 = 'io.k8s.api.events.v1';

export const EVENT = `${EVENTS_V1}.Event`;
export const EVENT_LIST = `${EVENTS_V1}.EventList`;

defineTypes(
  {
    name: `${EVENTS_V1}.Event`,
    description: 'Event is a report of an event somewhere in the cluster. It generally denotes some state change in the system.',
    gvk: { group: 'events.k8s.io', version: 'v1', kind: 'Event' },
    required: ['eventTime'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      eventTime: field(2, microtime, 'eventTime is the time when this Event was first observed. It is required.'),
      series: field(
        3,
        ref(`${EVENTS_V1}.EventSeries`),
        "series is data about the Event series this event represents or nil if it's a singleton Event.",
      ),
      reportingController: field(
        4,
        string,
        'reportingController is the name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`. This field cannot be empty for new Events.',
      ),
      reportingInstance: field(
        5,
        string,
        'reportingInstance is the ID of the controller instance, e.g. `kubelet-xyzf`. This field cannot be empty for new Events and it can have at most 128 characters.',
      ),
      action: field(6, string, 'action is what action was taken/failed regarding to the regarding object. It is machine-readable.'),
      reason: field(7, string, 'reason is why the action was taken. It is human-readable.'),
      regarding: field(
        8,
        ref(`${CORE_V1}.ObjectReference`),
        "regarding contains the object this Event is about. In most cases it's an Object reporting controller implements, e.g. ReplicaSetController implements ReplicaSets and this event is emitted because it acts on some changes in a ReplicaSet object.",
      ),
      related: field(
        9,
        ref(`${CORE_V1}.ObjectReference`),
        'related is the optional secondary object for more complex actions. E.g. when regarding object triggers a creation or deletion of related object.',
      ),
      note: field(
        10,
        string,
        'note is a human-readable description of the status of this operation. Maximal length of the note is 1kB, but libraries should be prepared to handle values up to 64kB.',
      ),
      type: field(
        11,
        string,
        'type is the type of this event (Normal, Warning), new types could be added in the future. It is machine-readable.',
      ),
      deprecatedSource: field(
        12,
        ref(`${CORE_V1}.EventSource`),
        'deprecatedSource is the deprecated field assuring backward compatibility with core.v1 Event type.',
      ),
      deprecatedFirstTimestamp: field(
        13,
        time,
        'deprecatedFirstTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.',
      ),
      deprecatedLastTimestamp: field(
        14,
        time,
        'deprecatedLastTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.',
      ),
      deprecatedCount: field(15, int32, 'deprecatedCount is the deprecated field assuring backward compatibility with core.v1 Event type.'),
    },
  },
  {
    name: `${EVENTS_V1}.EventList`,
    description: 'EventList is a list of Event objects.',
    gvk: { group: 'events.k8s.io', version: 'v1', kind: 'EventList' },
    required: ['items'],
    fields: {
      metadata: field(1, ref(LIST_META), 'Standard list metadata.'),
      items: field(2, list(ref(`${EVENTS_V1}.Event`)), 'items is a list of schema objects.'),
    },
  },
  {
    name: `${EVENTS_V1}.EventSeries`,
    description:
      'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time. How often to update the EventSeries is up to the event reporters.',
    required: ['count', 'lastObservedTime'],
    fields: {
      count: field(1, int32, 'count is the number of occurrences in this series up to the last heartbeat time.'),
      lastObservedTime: field(2, microtime, 'lastObservedTime is the time when last Event from the series was seen before last heartbeat.'),
    },
  },
);
