/** Loads every built-in type declaration into the schema registry. */
import './meta/types.js';
import './core/types/index.js';
import './apps/types.js';
import './batch/types.js';
import './networking/types.js';
import './rbac/types.js';
import './apiextensions/types.js';
import './autoscaling/types.js';
import './autoscaling/types-v2.js';
import './policy/types.js';
import './scheduling/types.js';
import './coordination/types.js';
import './discovery/types.js';
import './storage/types.js';
import './certificates/types.js';
import './events/types.js';
import './authorization/types.js';
