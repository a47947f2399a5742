/** The idle sign-out (owner): after so many minutes without use the counter signs out and shows the sign-in. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { setStaffState, useStaffState } from './store';

export function IdleSetting() {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('staff');
  const staff = useStaffState();
  const [minutes, setMinutes] = useState(String(staff.idleMinutes));
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();

  async function save() {
    setSaved(null);
    const n = Number(minutes);
    if (!Number.isInteger(n) || n < 0 || n > 480) {
      setError(t('errors:api.badInput'));
      return;
    }
    await run(async () => {
      const s = await withAdmin(admin, (adminToken) => api.call('staff.setIdle', { adminToken, minutes: n }));
      if (!s) return;
      setStaffState(s);
      setMinutes(String(s.idleMinutes));
      setSaved(s.idleMinutes > 0 ? t('idle.saved', { count: s.idleMinutes }) : t('idle.off'));
    });
  }

  return (
    <form
      className="panel"
      aria-labelledby="staff-idle-title"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2 id="staff-idle-title" className="panel__title">
        {t('idle.title')}
      </h2>
      <div className="inline-form">
        <Field label={t('idle.label')} error={error}>
          <input className="input staff__minutes" type="number" min={0} max={480} step={1} value={minutes} onChange={(e) => setMinutes(e.target.value)} data-testid="staff-idle" />
        </Field>
        <button type="submit" className="button" disabled={busy} data-testid="staff-idle-save">
          {t('idle.save')}
        </button>
      </div>
      {saved ? (
        <p className="notice notice--ok" role="status" data-testid="staff-idle-saved">
          {saved}
        </p>
      ) : null}
    </form>
  );
}
