import { checkMigrations, type Migration } from '../migrate';
import * as ledger from './0001-ledger';
import * as productsCampaignsPoints from './0002-products-campaigns-points';
import * as sync from './0003-sync';
import * as crm from './0004-crm';
import * as audit from './0005-audit';
import * as staff from './0006-staff';
import * as shifts from './0007-shifts';
import * as reports from './0008-reports';
import * as campaignStock from './0009-campaign-stock';

/**
 * Every schema change, in order, with its version. Append a new one at the
 * end with the next version (and its own file and test); never reorder,
 * renumber or edit one that has shipped: workstations' databases hold its number.
 */
export const migrations: readonly Migration[] = [
  { version: 1, name: ledger.name, up: ledger.up },
  { version: 2, name: productsCampaignsPoints.name, up: productsCampaignsPoints.up },
  { version: 3, name: sync.name, up: sync.up },
  { version: 4, name: crm.name, up: crm.up },
  { version: 5, name: audit.name, up: audit.up },
  { version: 6, name: staff.name, up: staff.up },
  { version: 7, name: shifts.name, up: shifts.up },
  { version: 8, name: reports.name, up: reports.up },
  { version: 9, name: campaignStock.name, up: campaignStock.up },
];

/** The newest schema this VoucherDesk knows (the list is checked here, at start). */
export const LATEST_VERSION = checkMigrations(migrations);
