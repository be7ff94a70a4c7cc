/**
 * The admission configuration file of `--admission-control-config-file` (upstream's
 * AdmissionConfiguration, apiserver.config.k8s.io/v1): each plugin's configuration, given inline
 * (`configuration`) or in a file of its own (`path`, relative to this file).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import { asObj, objs, str, type Obj } from '../../api/core/access.js';

const KINDS = new Set(['apiserver.config.k8s.io/v1/AdmissionConfiguration', 'apiserver.k8s.io/v1alpha1/AdmissionConfiguration']);

/** Reads the file; the map goes from plugin name to its configuration object. */
export async function loadAdmissionConfiguration(file: string): Promise<Map<string, Obj>> {
  const doc = asObj(parse(await readFile(file, 'utf8')));
  if (!doc || !KINDS.has(`${str(doc['apiVersion'])}/${str(doc['kind'])}`)) {
    throw new Error(`${file}: want an apiserver.config.k8s.io/v1 AdmissionConfiguration`);
  }
  const out = new Map<string, Obj>();
  for (const plugin of objs(doc['plugins'])) {
    const name = str(plugin['name']);
    const inline = asObj(plugin['configuration']);
    const path = str(plugin['path']);
    if (inline) out.set(name, inline);
    else if (path) {
      const config = asObj(parse(await readFile(isAbsolute(path) ? path : join(dirname(file), path), 'utf8')));
      if (!config) throw new Error(`${file}: plugin ${name}: ${path} holds no configuration object`);
      out.set(name, config);
    }
  }
  return out;
}
