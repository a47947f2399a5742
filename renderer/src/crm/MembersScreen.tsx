/**
 * The Members tab: the searchable members table, a member's page, the
 * referral network picture, the referral report, vouchers to give, import and
 * export, and the referral rules.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import './crm.css';
import { ImportExportPanel } from './ImportExportPanel';
import { MemberPage } from './MemberPage';
import { MembersList } from './MembersList';
import { NetworkView } from './NetworkView';
import { ReportView } from './ReportView';
import { RulesPanel } from './RulesPanel';
import { ToGivePanel } from './ToGivePanel';

const SECTIONS = ['list', 'network', 'report', 'give', 'io', 'rules'] as const;
type Section = (typeof SECTIONS)[number];

export function MembersScreen() {
  const { t } = useTranslation('crm');
  const [section, setSection] = useState<Section>('list');
  const [open, setOpen] = useState<string | null>(null);
  const openMember = (id: string) => {
    setOpen(id);
    setSection('list');
  };
  return (
    <div className="crm" data-testid="members-screen">
      <nav className="subtabs" role="tablist" aria-label={t('app:tabs.members')}>
        {SECTIONS.map((s) => (
          <button
            key={s}
            type="button"
            role="tab"
            aria-selected={section === s}
            className={`subtab${section === s ? ' subtab--active' : ''}`}
            data-testid={`crm-nav-${s}`}
            onClick={() => {
              setSection(s);
              if (s === 'list') setOpen(null);
            }}
          >
            {t(`nav.${s}`)}
          </button>
        ))}
      </nav>
      {section === 'list' && open ? <MemberPage id={open} onOpen={openMember} onBack={() => setOpen(null)} /> : null}
      <div hidden={section !== 'list' || open !== null}>
        <MembersList onOpen={openMember} />
      </div>
      {section === 'network' ? <NetworkView onOpen={openMember} /> : null}
      {section === 'report' ? <ReportView /> : null}
      {section === 'give' ? <ToGivePanel /> : null}
      {section === 'io' ? <ImportExportPanel /> : null}
      {section === 'rules' ? <RulesPanel /> : null}
    </div>
  );
}
