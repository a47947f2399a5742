/**
 * The Staff screen (the owner's): the people who work the counter (add, edit
 * name and role, a new PIN, deactivate, print a badge), the idle sign-out, and
 * the audit log. Every change is the owner's: the admin gate asks for their
 * approval when whoever is signed in may not.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffMember } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { AuditLog } from './AuditLog';
import { BadgeDialog } from './BadgeDialog';
import { IdleSetting } from './IdleSetting';
import { StaffFormDialog, type StaffForm } from './StaffDialogs';
import { setStaffState } from './store';
import { useStaffList } from './useStaffList';
import './staff.css';

type Page = 'people' | 'audit';

export function StaffScreen() {
  const { t } = useTranslation('staff');
  const [page, setPage] = useState<Page>('people');
  return (
    <div className="staff" data-testid="staff-screen">
      <div className="panel__head">
        <h1 className="screen-title">{t('screen.title')}</h1>
        <div className="button-row" role="tablist">
          {(['people', 'audit'] as const).map((p) => (
            <button
              key={p}
              type="button"
              role="tab"
              aria-selected={page === p}
              className={`button button--small${page === p ? ' button--primary' : ''}`}
              onClick={() => setPage(p)}
              data-testid={`staff-nav-${p}`}
            >
              {t(`screen.nav.${p}`)}
            </button>
          ))}
        </div>
      </div>
      {page === 'people' ? (
        <>
          <PeoplePanel />
          <IdleSetting />
        </>
      ) : (
        <AuditLog />
      )}
    </div>
  );
}

function PeoplePanel() {
  const { api, info } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('staff');
  const { people, error: listError, reload } = useStaffList();
  const [form, setForm] = useState<StaffForm | null>(null);
  const [badgeFor, setBadgeFor] = useState<StaffMember | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { error, run } = useAction();

  async function reactivate(p: StaffMember) {
    setNotice(null);
    await run(async () => {
      const done = await withAdmin(admin, (adminToken) => api.call('staff.update', { adminToken, id: p.id, active: true }));
      if (done) setNotice(t('screen.reactivated', { name: done.name }));
      await reload();
    });
  }

  return (
    <section className="panel" aria-labelledby="staff-people-title" data-testid="staff-people">
      <div className="panel__head">
        <h2 id="staff-people-title" className="panel__title">
          {t('screen.nav.people')}
        </h2>
        <button
          type="button"
          className="button button--primary"
          disabled={!info.adminConfigured}
          onClick={() => {
            setNotice(null);
            setForm({ kind: 'add' });
          }}
          data-testid="staff-add"
        >
          {t('screen.add')}
        </button>
      </div>
      {!info.adminConfigured ? <p className="notice notice--warning">{t('errors:admin.notConfigured')}</p> : null}
      {notice ? (
        <p className="notice notice--ok" role="status" data-testid="staff-notice">
          {notice}
        </p>
      ) : null}
      {error || listError ? (
        <p className="form-error" role="alert" data-testid="staff-error">
          {error ?? errorText(t, listError)}
        </p>
      ) : null}
      {people && people.length === 0 ? <p className="muted">{t('screen.none')}</p> : null}
      {people && people.length > 0 ? (
        <div className="table-scroll">
          <table className="table" data-testid="staff-table">
            <thead>
              <tr>
                <th>{t('screen.name')}</th>
                <th>{t('screen.role')}</th>
                <th>{t('screen.status')}</th>
                <th>{t('screen.badge')}</th>
                <th>{t('screen.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {people.map((p) => (
                <tr key={p.id} data-testid="staff-row" data-name={p.name} data-role={p.role} data-active={p.active}>
                  <td>{p.name}</td>
                  <td>{t(`roles.${p.role}`)}</td>
                  <td>{p.active ? t('screen.active') : t('screen.inactive')}</td>
                  <td>{p.hasBadge ? t('screen.hasBadge') : t('screen.noBadge')}</td>
                  <td>
                    <div className="button-row staff__actions">
                      {p.active ? (
                        <>
                          <RowButton label={t('screen.edit')} testId="staff-edit" onClick={() => setForm({ kind: 'edit', person: p })} />
                          <RowButton label={t('screen.resetPin')} testId="staff-pin" onClick={() => setForm({ kind: 'pin', person: p })} />
                          <RowButton label={t('screen.printBadge')} testId="staff-badge" onClick={() => setBadgeFor(p)} />
                          <RowButton label={t('screen.deactivate')} testId="staff-deactivate" onClick={() => setForm({ kind: 'deactivate', person: p })} />
                        </>
                      ) : (
                        <RowButton label={t('screen.reactivate')} testId="staff-reactivate" onClick={() => void reactivate(p)} />
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {form ? (
        <StaffFormDialog
          form={form}
          onClose={(done) => {
            setForm(null);
            if (done) {
              setNotice(done);
              void reload();
              // The first person added turns sign-in on: know it now, whether or not the event came first.
              api.call('staff.state', {}).then(setStaffState, () => undefined);
            }
          }}
        />
      ) : null}
      {badgeFor ? (
        <BadgeDialog
          person={badgeFor}
          onClose={() => {
            setBadgeFor(null);
            void reload();
          }}
        />
      ) : null}
    </section>
  );
}

function RowButton({ label, testId, onClick }: { label: string; testId: string; onClick(): void }) {
  return (
    <button type="button" className="button button--small" onClick={onClick} data-testid={testId}>
      {label}
    </button>
  );
}
