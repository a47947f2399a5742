/** Campaigns: the table (stock used of total, dates, hours), add/edit in a form, delete, import. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CampaignView } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { endOfDay, formatDay, isLocalMidnight, lastDayInput, normaliseHours, startOfDay, toDateInput } from './dates';
import { ImportPanel } from './ImportPanel';

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

function CampaignTable({ list, onEdit, onDelete }: { list: CampaignView[]; onEdit(c: CampaignView): void; onDelete(c: CampaignView): void }) {
  const { t, i18n } = useTranslation('catalog');
  const locale = i18n.language;
  const dates = (c: CampaignView) => {
    if (c.from === null && c.to === null) return t('campaigns.anyDate');
    const last = c.to === null ? null : formatDay(lastDayMs(c.to), locale);
    if (c.from === null) return t('campaigns.until', { to: last });
    if (last === null) return t('campaigns.fromOn', { from: formatDay(c.from, locale) });
    return t('campaigns.range', { from: formatDay(c.from, locale), to: last });
  };
  return (
    <div className="table-scroll">
      <table className="table" data-testid="campaign-table">
        <thead>
          <tr>
            <th scope="col">{t('campaigns.id')}</th>
            <th scope="col">{t('campaigns.name')}</th>
            <th scope="col" className="num">
              {t('campaigns.stock')}
            </th>
            <th scope="col">{t('campaigns.dates')}</th>
            <th scope="col">{t('campaigns.hours')}</th>
            <th scope="col">{t('source')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((c) => {
            const soldOut = c.stock !== null && c.used >= c.stock;
            return (
              <tr key={c.id} data-testid="campaign-row" data-id={c.id} data-used={c.used} data-stock={c.stock ?? ''}>
                <td className="mono">{c.id}</td>
                <td>{c.name}</td>
                <td className="num nowrap" data-testid="campaign-row-stock">
                  {c.stock === null ? t('campaigns.usedNoLimit', { used: c.used }) : t('campaigns.usedOf', { used: c.used, stock: c.stock })}
                  {soldOut ? <span className="tag tag--bad">{t('campaigns.soldOut')}</span> : null}
                </td>
                <td className="small">{dates(c)}</td>
                <td className="nowrap" data-testid="campaign-row-hours">
                  {c.hours ? c.hours.replace(/,/g, ', ') : t('campaigns.anyTime')}
                </td>
                <td className="small">{sourceText(c.source, t)}</td>
                <td className="actions">
                  <button type="button" className="button button--small" data-testid="campaign-edit" onClick={() => onEdit(c)}>
                    {t('edit')}
                  </button>{' '}
                  <button type="button" className="button button--small button--danger-outline" data-testid="campaign-delete" onClick={() => onDelete(c)}>
                    {t('delete')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The last moment a campaign ending at `to` (exclusive) runs: the day before when `to` is a midnight. */
function lastDayMs(to: number): number {
  return isLocalMidnight(to) ? to - 1 : to;
}

export function sourceText(source: string, t: ReturnType<typeof useTranslation>['t']): string {
  if (source === 'admin') return t('sourceAdmin');
  if (source.startsWith('file:')) return t('sourceFile', { file: source.slice(5) });
  return source;
}

function CampaignForm({ campaign, taken, onDone }: { campaign: CampaignView | null; taken: string[]; onDone(saved: CampaignView | null): void }) {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('catalog');
  const initialFrom = campaign?.from != null ? toDateInput(campaign.from) : '';
  const initialTo = campaign?.to != null ? lastDayInput(campaign.to) : '';
  const [id, setId] = useState(campaign?.id ?? '');
  const [name, setName] = useState(campaign?.name ?? '');
  const [stock, setStock] = useState(campaign?.stock != null ? String(campaign.stock) : '');
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState(initialTo);
  const [hours, setHours] = useState(campaign?.hours ?? '');
  const { busy, error, setError, run } = useAction();

  async function save() {
    setError(null);
    const cleanId = id.trim();
    const cleanName = name.trim();
    if (!cleanId) return setError(t('campaigns.needId'));
    if (!campaign && taken.includes(cleanId)) return setError(t('campaigns.idTaken', { id: cleanId }));
    if (!cleanName) return setError(t('campaigns.needName'));
    const stockText = stock.normalize('NFKC').trim();
    if (stockText && !/^\d{1,9}$/.test(stockText)) return setError(t('campaigns.badStock'));
    const hoursValue = hours.trim() ? normaliseHours(hours) : null;
    if (hours.trim() && hoursValue === null) return setError(t('errors:campaigns.badInput'));
    // A date left as it was keeps its exact stored time (an imported campaign may start at 10:30).
    const fromMs = from === initialFrom && campaign ? campaign.from : startOfDay(from);
    const toMs = to === initialTo && campaign ? campaign.to : endOfDay(to);
    if ((from && fromMs === null) || (to && toMs === null)) return setError(t('campaigns.badDate'));
    if (fromMs !== null && toMs !== null && toMs <= fromMs) return setError(t('errors:campaigns.badRange'));
    await run(async () => {
      const saved = await withAdmin(admin, (adminToken) =>
        api.call('campaigns.set', {
          adminToken,
          id: cleanId,
          name: cleanName,
          stock: stockText ? Number(stockText) : null,
          from: fromMs,
          to: toMs,
          hours: hoursValue,
        }),
      );
      if (saved) onDone(saved);
    });
  }

  return (
    <form
      className="subpanel"
      data-testid="campaign-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) {
          e.preventDefault();
          onDone(null);
        }
      }}
    >
      <h3 className="subpanel__title">{campaign ? t('campaigns.editTitle', { name: campaign.name }) : t('campaigns.addTitle')}</h3>
      <div className="form-grid">
        <Field label={t('campaigns.id')} hint={t('campaigns.idHint')}>
          <input
            className="input mono"
            value={id}
            maxLength={64}
            autoComplete="off"
            disabled={campaign !== null}
            autoFocus={campaign === null}
            onChange={(e) => setId(e.currentTarget.value)}
            data-testid="campaign-id"
          />
        </Field>
        <Field label={t('campaigns.name')}>
          <input
            className="input"
            value={name}
            maxLength={200}
            autoComplete="off"
            autoFocus={campaign !== null}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="campaign-name"
          />
        </Field>
        <Field label={t('campaigns.stockLabel')} hint={t('campaigns.stockHint', { used: campaign?.used ?? 0 })}>
          <input
            className="input input--number"
            inputMode="numeric"
            value={stock}
            maxLength={9}
            autoComplete="off"
            placeholder={t('campaigns.noLimit')}
            onChange={(e) => setStock(e.currentTarget.value)}
            data-testid="campaign-stock"
          />
        </Field>
        <Field label={t('campaigns.from')}>
          <input type="date" className="input" value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="campaign-from" />
        </Field>
        <Field label={t('campaigns.to')} hint={t('campaigns.toHint')}>
          <input type="date" className="input" value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="campaign-to" />
        </Field>
        <Field label={t('campaigns.hoursLabel')} hint={t('campaigns.hoursHint')}>
          <input
            className="input mono"
            value={hours}
            maxLength={100}
            autoComplete="off"
            placeholder="10:00-22:00"
            onChange={(e) => setHours(e.currentTarget.value)}
            data-testid="campaign-hours"
          />
        </Field>
      </div>
      {error ? (
        <p className="form-error" role="alert" data-testid="campaign-error">
          {error}
        </p>
      ) : null}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={busy} data-testid="campaign-save">
          {busy ? t('app:dialog.working') : t('save')}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => onDone(null)} data-testid="campaign-cancel">
          {t('app:dialog.cancel')}
        </button>
      </div>
    </form>
  );
}
