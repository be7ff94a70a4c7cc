/** ServiceAccounts (pkg/registry/core/serviceaccount): the printer; metadata is validated generically. */
import type { ResourceStrategy, TablePrinter } from '../resource.js';
import { arr } from './access.js';
import { AGE_COLUMN, NAME_COLUMN, age, column, describe } from './printer-columns.js';

export const serviceAccountStrategy: ResourceStrategy = {};

export const serviceAccountPrinter: TablePrinter = {
  columns: [NAME_COLUMN, column('Secrets', 'string', describe('ServiceAccount', 'secrets')), AGE_COLUMN],
  row: (sa, now) => [sa.metadata.name ?? '', arr(sa['secrets']).length, age(sa.metadata.creationTimestamp, now)],
};
