/**
 * Points rules for shared vouchers: what the redeemer and the earlier holders
 * earn per redemption, and the level table (points needed, what the level
 * gives at the till). Also a look-up of one holder's points.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HolderPoints, LevelRule, PointsRules } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { errorText } from '../i18n';

interface LevelDraft {
  key: number;
  level: string;
  points: string;
  perk: string;
}

let nextKey = 1;
const draftOf = (rules: PointsRules): LevelDraft[] =>
  rules.levels.map((l) => ({ key: nextKey++, level: String(l.level), points: String(l.points), perk: l.perk }));

function wholeNumber(s: string, max: number): number | null {
  const v = s.normalize('NFKC').trim();
  if (!/^\d{1,9}$/.test(v)) return null;
  const n = Number(v);
  return n <= max ? n : null;
}

export function PointsPanel() {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('catalog');
  const [loaded, setLoaded] = useState(false);
  const [redeemer, setRedeemer] = useState('');
  const [holder, setHolder] = useState('');
  const [levels, setLevels] = useState<LevelDraft[]>([]);
  const { busy, run } = useAction();
  const [status, setStatus] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const show = useCallback((rules: PointsRules) => {
    setRedeemer(String(rules.redeemer));
    setHolder(String(rules.holder));
    setLevels(draftOf(rules));
    setLoaded(true);
  }, []);

  useEffect(() => {
    api.call('points.rules', {}).then(show, (e: unknown) => setStatus({ kind: 'error', text: errorText(t, e) }));
  }, [api, show, t]);

  function edit(key: number, patch: Partial<LevelDraft>) {
    setLevels((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));
    setStatus(null);
  }

  async function save() {
    setStatus(null);
    const r = wholeNumber(redeemer, 1_000_000);
    const h = wholeNumber(holder, 1_000_000);
    if (r === null || h === null) return setStatus({ kind: 'error', text: t('points.badNumber') });
    const rows: LevelRule[] = [];
    for (const [i, l] of levels.entries()) {
      const level = wholeNumber(l.level, 99);
      const points = wholeNumber(l.points, 999_999_999);
      if (level === null || points === null) return setStatus({ kind: 'error', text: t('points.badLevel', { row: i + 1 }) });
      rows.push({ level, points, perk: l.perk.trim().slice(0, 100) });
    }
    if (rows.length === 0) return setStatus({ kind: 'error', text: t('points.needLevel') });
    if (new Set(rows.map((x) => x.level)).size !== rows.length) return setStatus({ kind: 'error', text: t('points.duplicateLevel') });
    await run(
      async () => {
        const saved = await withAdmin(admin, (adminToken) => api.call('points.setRules', { adminToken, redeemer: r, holder: h, levels: rows }));
        if (saved) {
          show(saved);
          setStatus({ kind: 'ok', text: t('points.saved') });
        }
      },
      (text) => setStatus({ kind: 'error', text }),
    );
  }

  return (
    <>
      <form
        className="panel"
        data-testid="points-rules"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2 className="panel__title">{t('points.title')}</h2>
        <p className="muted">{t('points.hint')}</p>
        <div className="form-grid">
          <Field label={t('points.redeemer')} hint={t('points.redeemerHint')}>
            <input
              className="input input--number"
              inputMode="numeric"
              value={redeemer}
              disabled={!loaded}
              onChange={(e) => setRedeemer(e.currentTarget.value)}
              data-testid="points-redeemer"
            />
          </Field>
          <Field label={t('points.holder')} hint={t('points.holderHint')}>
            <input
              className="input input--number"
              inputMode="numeric"
              value={holder}
              disabled={!loaded}
              onChange={(e) => setHolder(e.currentTarget.value)}
              data-testid="points-holder"
            />
          </Field>
        </div>
        <h3 className="subpanel__title">{t('points.levels')}</h3>
        <table className="table table--form" data-testid="points-levels">
          <thead>
            <tr>
              <th scope="col">{t('points.level')}</th>
              <th scope="col">{t('points.points')}</th>
              <th scope="col">{t('points.perk')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('delete')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {levels.map((l, i) => (
              <tr key={l.key} data-testid="points-level-row">
                <td>
                  <input
                    className="input input--short"
                    inputMode="numeric"
                    aria-label={t('points.levelOfRow', { row: i + 1 })}
                    value={l.level}
                    onChange={(e) => edit(l.key, { level: e.currentTarget.value })}
                    data-testid="points-level"
                  />
                </td>
                <td>
                  <input
                    className="input input--number"
                    inputMode="numeric"
                    aria-label={t('points.pointsOfRow', { row: i + 1 })}
                    value={l.points}
                    onChange={(e) => edit(l.key, { points: e.currentTarget.value })}
                    data-testid="points-threshold"
                  />
                </td>
                <td>
                  <input
                    className="input"
                    maxLength={100}
                    placeholder={t('points.perkPlaceholder')}
                    aria-label={t('points.perkOfRow', { row: i + 1 })}
                    value={l.perk}
                    onChange={(e) => edit(l.key, { perk: e.currentTarget.value })}
                    data-testid="points-perk"
                  />
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="button button--small button--danger-outline"
                    disabled={levels.length <= 1}
                    onClick={() => setLevels((ls) => ls.filter((x) => x.key !== l.key))}
                    data-testid="points-level-remove"
                  >
                    {t('delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="button-row">
          <button
            type="button"
            className="button"
            disabled={!loaded || levels.length >= 100}
            onClick={() => {
              const top = levels.reduce((m, l) => Math.max(m, wholeNumber(l.level, 99) ?? 0), 0);
              setLevels((ls) => [...ls, { key: nextKey++, level: String(Math.min(99, top + 1)), points: '', perk: '' }]);
            }}
            data-testid="points-level-add"
          >
            {t('points.addLevel')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy || !loaded} data-testid="points-save">
            {busy ? t('app:dialog.working') : t('save')}
          </button>
        </div>
        {status ? (
          <p className={status.kind === 'ok' ? 'notice notice--ok' : 'form-error'} role={status.kind === 'ok' ? 'status' : 'alert'} data-testid="points-status">
            {status.text}
          </p>
        ) : null}
      </form>
      <HolderLookup />
    </>
  );
}

function HolderLookup() {
  const { api } = useApp();
  const { t } = useTranslation('catalog');
  const [holder, setHolder] = useState('');
  const [found, setFound] = useState<HolderPoints | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function look() {
    const h = holder.trim();
    setError(null);
    setFound(null);
    if (!h) return;
    try {
      setFound(await api.call('points.show', { holder: h }));
    } catch (e) {
      setError(errorText(t, e));
    }
  }

  return (
    <form
      className="panel"
      data-testid="points-lookup"
      onSubmit={(e) => {
        e.preventDefault();
        void look();
      }}
    >
      <h2 className="panel__title">{t('points.lookupTitle')}</h2>
      <div className="inline-form">
        <Field label={t('points.holderId')} className="field--grow">
          <input
            className="input mono"
            value={holder}
            maxLength={64}
            autoComplete="off"
            onChange={(e) => setHolder(e.currentTarget.value)}
            data-testid="points-lookup-holder"
          />
        </Field>
        <button type="submit" className="button field-align" data-testid="points-lookup-submit">
          {t('points.lookup')}
        </button>
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {found ? (
        <p className="notice notice--ok" data-testid="points-lookup-result">
          {t('points.lookupResult', { holder: found.holder, points: found.points, level: found.level })}{' '}
          {found.perk ? t('points.lookupPerk', { perk: found.perk }) : null}{' '}
          {found.toNext !== null ? t('points.lookupNext', { count: found.toNext }) : t('points.lookupTop')}
        </p>
      ) : null}
    </form>
  );
}
