/**
 * Campaigns: the table (mode, stock left, allotment held here, used here, dates,
 * hours), add/edit in a form, delete, import; a plain note when the platform
 * does not share stock (every campaign then works as lenient).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignView } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Dialog } from '../components/Dialog';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { CampaignForm } from './CampaignForm';
import { CampaignTable } from './CampaignTable';
import { ImportPanel } from './ImportPanel';
import { platformSharesStock } from './stock';
import './catalog.css';


export function CampaignsPanel() {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('catalog');
  const [list, setList] = useState<CampaignView[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<CampaignView | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CampaignView | null>(null);
  const { busy, error: deleteError, setError: setDeleteError, run } = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const sharesStock = platformSharesStock(list ?? []);

  const load = useCallback(async () => {
    try {
      setList(await api.call('campaigns.list', {}));
      setLoadError(null);
    } catch (e) {
      setLoadError(errorText(t, e));
    }
  }, [api, t]);

  useEffect(() => {
    void load();
  }, [load]);
  // Redemptions use up stock: keep the counts current.
  useEffect(() => api.on('ledger.changed', () => void load()), [api, load]);

  async function remove(c: CampaignView) {
    await run(async () => {
      const after = await withAdmin(admin, (adminToken) => api.call('campaigns.delete', { adminToken, id: c.id }));
      if (after) {
        setList(after);
        setDeleting(null);
        setNotice(t('campaigns.deleted', { name: c.name }));
      }
    });
  }

  return (
    <>
      <section className="panel" aria-labelledby="campaigns-title">
        <div className="panel__head">
          <h2 id="campaigns-title" className="panel__title">
            {t('campaigns.title')}
          </h2>
          {editing === null ? (
            <button
              type="button"
              className="button button--primary"
              data-testid="campaign-add"
              onClick={() => {
                setNotice(null);
                setEditing('new');
              }}
            >
              {t('campaigns.add')}
            </button>
          ) : null}
        </div>
        <p className="muted">{t('campaigns.hint')}</p>
        {list && list.some((c) => c.stock !== null) && !sharesStock ? (
          <p className="notice notice--info" data-testid="campaign-no-allotments">
            {t('campaigns.mode.noAllotments')}
          </p>
        ) : null}
        {notice ? (
          <p className="notice notice--ok" role="status" data-testid="campaign-notice">
            {notice}
          </p>
        ) : null}
        {loadError ? (
          <p className="form-error" role="alert">
            {loadError}
          </p>
        ) : null}
        {editing !== null ? (
          <CampaignForm
            key={editing === 'new' ? 'new' : editing.id}
            campaign={editing === 'new' ? null : editing}
            taken={(list ?? []).map((c) => c.id)}
            sharesStock={sharesStock}
            onDone={(saved) => {
              setEditing(null);
              if (saved) {
                setNotice(t('campaigns.saved', { name: saved.name }));
                void load();
              }
            }}
          />
        ) : null}
        {list && list.length === 0 ? <p className="muted">{t('campaigns.empty')}</p> : null}
        {list && list.length > 0 ? <CampaignTable list={list} onEdit={(c) => { setNotice(null); setEditing(c); }} onDelete={(c) => { setNotice(null); setDeleteError(null); setDeleting(c); }} /> : null}
      </section>
      <ImportPanel what="campaigns" onImported={() => void load()} />
      {deleting ? (
        <Dialog
          title={t('campaigns.deleteTitle', { name: deleting.name })}
          okLabel={t('campaigns.deleteConfirm')}
          tone="danger"
          busy={busy}
          error={deleteError}
          onSubmit={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
          testId="campaign-delete-dialog"
        >
          <p className="dialog__hint">{t('campaigns.deleteText')}</p>
        </Dialog>
      ) : null}
    </>
  );
}
