/** Every stored key with its fingerprint, and removing one (admin only). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { KeystoreView, KeyView } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Dialog } from '../components/Dialog';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { formatDateTime } from '../format';

function keyType(k: KeyView): string {
  return [k.kty, k.crv, k.bits ? String(k.bits) : null].filter(Boolean).join(' ');
}

export function KeyTable({ keys, onChanged }: { keys: KeyView[]; onChanged(view: KeystoreView): void }) {
  const { api } = useApp();
  const admin = useAdmin();
  const { t, i18n } = useTranslation('keys');
  const [removing, setRemoving] = useState<KeyView | null>(null);
  const { busy, error, setError, run } = useAction();
  const [notice, setNotice] = useState<string | null>(null);

  async function start(k: KeyView) {
    setNotice(null);
    setError(null);
    if (await admin.getToken()) setRemoving(k);
  }

  async function remove(k: KeyView) {
    await run(async () => {
      const view = await withAdmin(admin, (adminToken) => api.call('keystore.remove', { adminToken, kid: k.kid }));
      if (view) {
        onChanged(view);
        setRemoving(null);
        setNotice(t('remove.done', { kid: k.kid }));
      }
    });
  }

  return (
    <section className="panel" aria-labelledby="key-table-title">
      <h2 id="key-table-title" className="panel__title">
        {t('table.title')}
      </h2>
      {notice ? (
        <p className="notice notice--ok" role="status">
          {notice}
        </p>
      ) : null}
      {keys.length === 0 ? (
        <p className="muted">{t('table.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table" data-testid="key-table">
            <thead>
              <tr>
                <th scope="col">{t('table.kid')}</th>
                <th scope="col">{t('table.role')}</th>
                <th scope="col">{t('table.type')}</th>
                <th scope="col">{t('table.fingerprint')}</th>
                <th scope="col">{t('table.source')}</th>
                <th scope="col">{t('table.added')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('table.remove')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={`${k.role}:${k.kid}`} data-testid="key-row" data-kid={k.kid} data-role={k.role}>
                  <td className="mono">{k.kid}</td>
                  <td>
                    {t(`roles.${k.role}`)}
                    {k.iss ? <div className="muted small">{k.iss}</div> : null}
                  </td>
                  <td className="nowrap">{keyType(k)}</td>
                  <td className="mono" data-testid="key-fingerprint">
                    {k.fingerprint}
                  </td>
                  <td className="small">{k.source}</td>
                  <td className="nowrap small">{formatDateTime(k.addedAt, i18n.language)}</td>
                  <td className="actions">
                    <button type="button" className="button button--small button--danger-outline" data-testid="key-remove" onClick={() => void start(k)}>
                      {t('table.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {removing ? (
        <Dialog
          title={t('remove.title', { kid: removing.kid })}
          okLabel={t('remove.confirm')}
          tone="danger"
          busy={busy}
          error={error}
          onSubmit={() => void remove(removing)}
          onCancel={() => {
            setRemoving(null);
            setError(null);
          }}
          testId="remove-dialog"
        >
          <p className="dialog__hint">{t('remove.text')}</p>
        </Dialog>
      ) : null}
    </section>
  );
}
