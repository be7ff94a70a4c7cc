/** Generic ObjectMeta validation every kind gets, with the kind's name rules. */
import type { ResourceType } from '../../api/resource.js';
import type { FieldError } from '../../machinery/errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../machinery/validation/index.js';
import {
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  validatePathSegmentName,
  type ValidateNameFunc,
} from '../../machinery/names.js';

const NAME_RULES: Record<NonNullable<ResourceType['nameFormat']>, ValidateNameFunc> = {
  'dns1123-subdomain': nameIsDNSSubdomain,
  'dns1123-label': nameIsDNSLabel,
  'dns1035-label': nameIsDNS1035Label,
  'path-segment': validatePathSegmentName,
};

export function nameRule(type: ResourceType): ValidateNameFunc {
  return NAME_RULES[type.nameFormat ?? 'dns1123-subdomain'];
}

export function validateMetadataForCreate(type: ResourceType, obj: KubeObject): FieldError[] {
  return validateObjectMeta(obj.metadata, type.namespaced, nameRule(type));
}

export function validateMetadataForUpdate(_type: ResourceType, obj: KubeObject, old: KubeObject): FieldError[] {
  return validateObjectMetaUpdate(obj.metadata, old.metadata);
}
