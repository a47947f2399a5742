/** Whole-workstation backup (main/core/backup): the owner's; every backup and restore is in the audit log. */
import type { backupCalls } from '../../../preload/api/backup';
import type { Backups } from '../backup/backups';
import { OWNER } from '../staff/roles';
import { rebuildFromPlatform } from '../sync/rebuild';
import { syncUserError } from './sync';
import type { Deps, HandlerMap } from './types';

export function backupHandlers(deps: Deps, backups: Backups): HandlerMap<keyof typeof backupCalls> {
  const { admin, audit } = deps;
  /** The owner, or anyone when the workstation is fresh (a replaced PC's first run has no owner passphrase yet). */
  const ownerOrFresh = (token: string | undefined) => (token === undefined && backups.fresh() ? OWNER : admin.require(token, 'owner'));
  return {
    'backup.status': () => backups.status(),
    'backup.create': async ({ adminToken, path, passphrase }) => {
      const actor = admin.require(adminToken, 'owner');
      try {
        const r = await backups.create(path, passphrase);
        audit.record('backup', actor, { what: 'create', ok: true, events: r.summary.events });
        return r;
      } catch (e) {
        audit.record('backup', actor, { what: 'create', ok: false });
        throw e;
      }
    },
    'backup.setSchedule': async ({ adminToken, passphrase, ...schedule }) => {
      const actor = admin.require(adminToken, 'owner');
      const status = await backups.setSchedule(schedule, passphrase);
      audit.record('backup', actor, { what: 'schedule', enabled: schedule.enabled, time: schedule.time, keep: schedule.keep });
      return status;
    },
    'backup.verify': ({ adminToken, path, passphrase }) => {
      ownerOrFresh(adminToken);
      return backups.verify(path, passphrase);
    },
    'backup.restore': async ({ adminToken, path, passphrase }) => {
      const actor = ownerOrFresh(adminToken);
      const summary = await backups.restore(path, passphrase);
      audit.record('backup', actor, { what: 'restore', events: summary.events, device: summary.device });
      return { summary, restartNeeded: true as const };
    },
    'backup.rebuild': async ({ adminToken }) => {
      const actor = admin.require(adminToken, 'owner');
      try {
        const r = await rebuildFromPlatform(deps);
        audit.record('backup', actor, { what: 'rebuild', events: r.events });
        return r;
      } catch (e) {
        return syncUserError(e);
      }
    },
  };
}
