/** FieldTracker over machinery/apply's managedFields updater. */
import { defaultResetFields, updateManagedFields } from '../../machinery/apply/managed-fields.js';
import type { FieldTracker, TrackRequest } from './field-tracker.js';

export const managedFieldsTracker: FieldTracker = {
  update(req: TrackRequest) {
    return updateManagedFields({
      old: req.old,
      updated: req.updated,
      manager: req.manager,
      operation: 'Update',
      apiVersion: req.apiVersion,
      now: new Date(),
      ...(req.subresource ? { subresource: req.subresource } : {}),
      resetFields: defaultResetFields(req.subresource || undefined, req.hasStatus),
    });
  },
};
