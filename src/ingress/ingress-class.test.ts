import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../machinery/object.js';
import { defaultIngressClass, LEGACY_CLASS_ANNOTATION, servedBy } from './ingress-class.js';

const ingress = (className?: string, legacy?: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'i', namespace: 'default', ...(legacy ? { annotations: { [LEGACY_CLASS_ANNOTATION]: legacy } } : {}) },
  spec: className ? { ingressClassName: className } : {},
});
const otherClass: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'IngressClass',
  metadata: { name: 'nginx' },
  spec: { controller: 'k8s.io/ingress-nginx' },
};
const notDefault: KubeObject = { ...defaultIngressClass(), metadata: { name: 'k8ts' } };

describe('servedBy', () => {
  const cases: [name: string, ing: KubeObject, classes: KubeObject[], want: boolean][] = [
    ['our class by name', ingress('k8ts'), [defaultIngressClass(), otherClass], true],
    ['another controller’s class', ingress('nginx'), [defaultIngressClass(), otherClass], false],
    ['a class that does not exist', ingress('missing'), [defaultIngressClass()], false],
    ['no class, ours the default', ingress(), [defaultIngressClass(), otherClass], true],
    ['no class, ours not the default', ingress(), [notDefault, otherClass], false],
    ['the legacy annotation', ingress(undefined, 'k8ts'), [notDefault], true],
    ['the legacy annotation naming another', ingress(undefined, 'nginx'), [defaultIngressClass(), otherClass], false],
  ];
  for (const [name, ing, classes, want] of cases) it(name, () => assert.equal(servedBy(ing, classes), want));
});
