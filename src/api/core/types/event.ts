/** Event as served by core/v1 (events.k8s.io/v1 is another shape of the same objects). */
import { defineTypes, field, int32, microtime, OBJECT_META, ref, string, time } from '../../../machinery/schema/dsl.js';
import { CORE } from './names.js';

defineTypes(
  {
    name: `${CORE}.Event`,
    description:
      'Event is a report of an event somewhere in the cluster. Events have a limited retention time and triggers and messages may evolve with time.',
    gvk: { group: '', version: 'v1', kind: 'Event' },
    required: ['metadata', 'involvedObject'],
    fields: {
      metadata: field(1, ref(OBJECT_META), "Standard object's metadata."),
      involvedObject: field(2, ref(`${CORE}.ObjectReference`), 'The object that this event is about.'),
      reason: field(
        3,
        string,
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      ),
      message: field(4, string, 'A human-readable description of the status of this operation.'),
      source: field(5, ref(`${CORE}.EventSource`), 'The component reporting this event. Should be a short machine understandable string.'),
      firstTimestamp: field(6, time, 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
      lastTimestamp: field(7, time, 'The time at which the most recent occurrence of this event was recorded.'),
      count: field(8, int32, 'The number of times this event has occurred.'),
      type: field(9, string, 'Type of this event (Normal, Warning), new types could be added in the future'),
      eventTime: field(10, microtime, 'Time when this Event was first observed.'),
      series: field(11, ref(`${CORE}.EventSeries`), "Data about the Event series this event represents or nil if it's a singleton Event."),
      action: field(12, string, 'What action was taken/failed regarding to the Regarding object.'),
      related: field(13, ref(`${CORE}.ObjectReference`), 'Optional secondary object for more complex actions.'),
      reportingComponent: field(14, string, 'Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.'),
      reportingInstance: field(15, string, 'ID of the controller instance, e.g. `kubelet-xyzf`.'),
    },
  },
  {
    name: `${CORE}.EventSource`,
    description: 'EventSource contains information for an event.',
    fields: {
      component: field(1, string, 'Component from which the event is generated.'),
      host: field(2, string, 'Node name on which the event is generated.'),
    },
  },
  {
    name: `${CORE}.EventSeries`,
    description: 'EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.',
    fields: {
      count: field(1, int32, 'Number of occurrences in this series up to the last heartbeat time'),
      lastObservedTime: field(2, microtime, 'Time of the last occurrence observed'),
    },
  },
);
