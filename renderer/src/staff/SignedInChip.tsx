/** In the top bar while staff accounts are on: who is signed in, their role, and "Switch" (sign out for the next person). */
import { useTranslation } from 'react-i18next';
import { useAdmin } from '../components/AdminGate';
import { useApp } from '../context';
import { errorText } from '../i18n';
import { setStaffState, useOwnerAtWork, useStaffState } from './store';
import './staff.css';

export function SignedInChip({ onError }: { onError(text: string): void }) {
  const { api } = useApp();
  const { t } = useTranslation('staff');
  const admin = useAdmin();
  const staff = useStaffState();
  const ownerAtWork = useOwnerAtWork();
  if (!staff.enabled) return null;
  const current = staff.current;

  async function switchPerson() {
    try {
      setStaffState(await api.call('staff.signOut', {}));
    } catch (e) {
      onError(errorText(t, e));
    }
  }

  if (!current && ownerAtWork) {
    const owner = t('topbar.owner');
    return (
      <span className="staff-chip" data-testid="signed-in" data-state="owner" data-role="owner">
        <span className="staff-chip__who" title={owner} data-testid="signed-in-name">
          {owner}
        </span>
        <button type="button" className="button button--small button--ghost" title={t('topbar.switchHint')} onClick={() => admin.forget()} data-testid="switch-person">
          {t('topbar.switch')}
        </button>
      </span>
    );
  }
  if (!current) {
    return (
      <span className="staff-chip staff-chip--out" data-testid="signed-in" data-state="out">
        {t('topbar.signedOut')}
      </span>
    );
  }
  const who = t('topbar.who', { name: current.name, role: t(`roles.${current.role}`) });
  return (
    <span className="staff-chip" data-testid="signed-in" data-state="in" data-role={current.role}>
      <span className="staff-chip__who" title={who} data-testid="signed-in-name">
        {who}
      </span>
      <button type="button" className="button button--small button--ghost" title={t('topbar.switchHint')} onClick={() => void switchPerson()} data-testid="switch-person">
        {t('topbar.switch')}
      </button>
    </span>
  );
}
