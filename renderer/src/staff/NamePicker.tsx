/** The staff who may sign in (or approve), as big buttons: pick your name, then type your PIN. */
import { useTranslation } from 'react-i18next';
import type { Role, StaffMember } from '../../../preload/contract';
import { roleAtLeast } from './approval';

export function NamePicker({
  people,
  picked,
  onPick,
  label,
  testId,
}: {
  people: StaffMember[];
  picked: string | null;
  onPick(id: string): void;
  label: string;
  testId: string;
}) {
  const { t } = useTranslation('staff');
  return (
    <div className="name-picker" role="group" aria-label={label} data-testid={`${testId}-names`}>
      {people.map((p) => (
        <button
          key={p.id}
          type="button"
          className={`button name-picker__name${picked === p.id ? ' name-picker__name--picked' : ''}`}
          aria-pressed={picked === p.id}
          data-testid={`${testId}-name`}
          data-name={p.name}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(p.id)}
        >
          <span className="name-picker__who">{p.name}</span>
          <span className="name-picker__role">{t(`roles.${p.role}`)}</span>
        </button>
      ))}
    </div>
  );
}

/** Active staff with at least `need`, by name. */
export function eligible(people: StaffMember[], need: Role | null): StaffMember[] {
  return people.filter((p) => p.active && (!need || roleAtLeast(p.role, need))).sort((a, b) => a.name.localeCompare(b.name));
}
