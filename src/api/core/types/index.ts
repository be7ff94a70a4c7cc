/**
 * The core/v1 type declarations (and the request bodies the apiserver decodes). Importing this
 * module registers them with the schema registry (src/machinery/schema/dsl.ts).
 */
import '../../meta/types.js';
import './namespace.js';
import './service.js';
import './endpoints.js';
import './config.js';
import './serviceaccount.js';
import './node.js';
import './node-status.js';
import './event.js';
import './replicationcontroller.js';
import './persistentvolume.js';
import './persistentvolume-sources.js';
import './persistentvolumeclaim.js';
import './resourcequota.js';
import './limitrange.js';
import './binding.js';
import './requests.js';
import './pod-index.js';

export * from './names.js';
