/** events.k8s.io/v1 resources, stored as core/v1 Events. */
import { defineResource } from '../define.js';
import type { ResourceType } from '../resource.js';
import { eventFromCore, eventToCore } from './convert.js';
import { eventsV1Printer, eventsV1Strategy } from './event.js';

export const eventsResources: ResourceType[] = [
  defineResource({
    group: 'events.k8s.io',
    version: 'v1',
    kind: 'Event',
    plural: 'events',
    namespaced: true,
    shortNames: ['ev'],
    allowCreateOnUpdate: true,
    strategy: eventsV1Strategy,
    printer: eventsV1Printer,
    storage: { group: '', version: 'v1', plural: 'events', toStorage: eventToCore, fromStorage: eventFromCore },
  }),
];
