/** Revocations: vouchers the platform cancelled (refused as REVOKED), imported from a file. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RevocationView } from '../../../preload/contract';
import { useApp } from '../context';
import { formatDateTime } from '../format';
import { errorText } from '../i18n';
import { sourceText } from './source';
import { ImportPanel } from './ImportPanel';

const LIMIT = 500;

export function RevocationsPanel() {
  const { api } = useApp();
  const { t, i18n } = useTranslation('catalog');
  const [list, setList] = useState<RevocationView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setList(await api.call('revocations.list', { limit: LIMIT }));
      setError(null);
    } catch (e) {
      setError(errorText(t, e));
    }
  }, [api, t]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <section className="panel" aria-labelledby="revocations-title">
        <h2 id="revocations-title" className="panel__title">
          {t('revocations.title')}
        </h2>
        <p className="muted">{t('revocations.hint')}</p>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {list && list.length === 0 ? <p className="muted">{t('revocations.empty')}</p> : null}
        {list && list.length > 0 ? (
          <div className="table-scroll">
            <table className="table" data-testid="revocations-table">
              <thead>
                <tr>
                  <th scope="col">{t('revocations.iss')}</th>
                  <th scope="col">{t('revocations.jti')}</th>
                  <th scope="col">{t('revocations.reason')}</th>
                  <th scope="col">{t('revocations.at')}</th>
                  <th scope="col">{t('source')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={`${r.iss}/${r.jti}`} data-testid="revocation-row" data-jti={r.jti}>
                    <td className="mono">{r.iss}</td>
                    <td className="mono">{r.jti}</td>
                    <td>{r.reason || '—'}</td>
                    <td className="nowrap small">{formatDateTime(r.at, i18n.language)}</td>
                    <td className="small">{sourceText(r.source, t)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {list.length >= LIMIT ? <p className="muted small">{t('revocations.more', { count: LIMIT })}</p> : null}
          </div>
        ) : null}
      </section>
      <ImportPanel what="revocations" onImported={() => void load()} />
    </>
  );
}
