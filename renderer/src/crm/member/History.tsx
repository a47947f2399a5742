/** A member's visits: every redemption and undo credited to them. */
import { useTranslation } from 'react-i18next';
import { maskIds } from '../../../../common/people/mask';
import type { MemberDetail } from '../../../../preload/contract';
import { useApp } from '../../context';
import { formatDateTime, formatMoney } from '../../format';

export function History({ d }: { d: MemberDetail }) {
  const { language } = useApp();
  const { t } = useTranslation('crm');
  return (
    <div className="panel" data-testid="crm-history">
      <h2 className="panel__title">{t('member.history')}</h2>
      {d.history.length === 0 ? <p className="muted">{t('member.noHistory')}</p> : null}
      <table className="table">
        <tbody>
          {d.history.map((h) => (
            <tr key={h.id} data-testid="crm-history-row" className={h.reversedBy || h.type === 'reversal' ? 'muted' : ''}>
              <td>{formatDateTime(h.at, language)}</td>
              <td>{h.type === 'reversal' ? '↺' : ''} {h.sku ?? h.kind}</td>
              <td className="num">{h.amount !== null ? formatMoney(h.amount, h.cur, language) : `× ${h.units ?? ''}`}</td>
              <td className="mono muted">{h.jti ? maskIds(h.jti) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
