/** The Staff screen's forms: add a person, edit name and role, a new PIN, deactivate. */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, type StaffMember } from '../../../preload/contract';
import { useAdmin, withAdmin } from '../components/AdminGate';
import { Dialog } from '../components/Dialog';
import { Field } from '../components/Field';
import { useAction } from '../components/useAction';
import { useApp } from '../context';
import { checkName, checkPin } from './form';

export type StaffForm = { kind: 'add' } | { kind: 'edit'; person: StaffMember } | { kind: 'pin'; person: StaffMember } | { kind: 'deactivate'; person: StaffMember };

export function StaffFormDialog({ form, onClose }: { form: StaffForm; onClose(done: string | null): void }) {
  const { api } = useApp();
  const admin = useAdmin();
  const { t } = useTranslation('staff');
  const { busy, error, setError, run } = useAction();
  const person = form.kind === 'add' ? null : form.person;
  const [name, setName] = useState(person?.name ?? '');
  const [role, setRole] = useState<Role>(person?.role ?? 'cashier');
  const pin = useRef<HTMLInputElement>(null);
  const again = useRef<HTMLInputElement>(null);

  async function submit() {
    const nameProblem = form.kind === 'add' || form.kind === 'edit' ? checkName(name) : null;
    const pinProblem = form.kind === 'add' || form.kind === 'pin' ? checkPin(pin.current?.value ?? '', again.current?.value ?? '') : null;
    const problem = nameProblem ?? pinProblem;
    if (problem) {
      setError(t(`form.${problem}`));
      return;
    }
    const newPin = pin.current?.value ?? '';
    await run(async () => {
      const done = await withAdmin(admin, (adminToken) => {
        switch (form.kind) {
          case 'add':
            return api.call('staff.add', { adminToken, name: name.trim(), role, pin: newPin });
          case 'edit':
            return api.call('staff.update', { adminToken, id: form.person.id, name: name.trim(), role });
          case 'pin':
            return api.call('staff.update', { adminToken, id: form.person.id, pin: newPin });
          case 'deactivate':
            return api.call('staff.update', { adminToken, id: form.person.id, active: false });
        }
      });
      if (!done) return;
      if (pin.current) pin.current.value = '';
      if (again.current) again.current.value = '';
      const notices = { add: 'screen.added', edit: 'screen.saved', pin: 'screen.pinReset', deactivate: 'screen.deactivated' } as const;
      onClose(t(notices[form.kind], { name: done.name }));
    });
  }

  const title =
    form.kind === 'add'
      ? t('form.addTitle')
      : form.kind === 'edit'
        ? t('form.editTitle', { name: form.person.name })
        : form.kind === 'pin'
          ? t('form.pinTitle', { name: form.person.name })
          : t('form.deactivateTitle', { name: form.person.name });

  return (
    <Dialog
      title={title}
      busy={busy}
      error={error}
      tone={form.kind === 'deactivate' ? 'danger' : 'normal'}
      okLabel={form.kind === 'deactivate' ? t('screen.deactivate') : undefined}
      onSubmit={() => void submit()}
      onCancel={() => onClose(null)}
      testId="staff-form"
    >
      {form.kind === 'deactivate' ? <p className="dialog__hint">{t('form.deactivateHint')}</p> : null}
      {form.kind === 'add' || form.kind === 'edit' ? (
        <>
          <Field label={t('screen.name')}>
            <input className="input" value={name} maxLength={64} autoComplete="off" data-autofocus data-testid="staff-form-name" onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label={t('screen.role')}>
            <select className="input" value={role} data-testid="staff-form-role" onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </Field>
        </>
      ) : null}
      {form.kind === 'add' || form.kind === 'pin' ? (
        <>
          <Field label={t('form.pin')}>
            <input
              ref={pin}
              type="password"
              inputMode="numeric"
              className="input"
              maxLength={8}
              autoComplete="new-password"
              data-testid="staff-form-pin"
              {...(form.kind === 'pin' ? { 'data-autofocus': true } : {})}
            />
          </Field>
          <Field label={t('form.pinAgain')}>
            <input ref={again} type="password" inputMode="numeric" className="input" maxLength={8} autoComplete="new-password" data-testid="staff-form-pin-again" />
          </Field>
        </>
      ) : null}
    </Dialog>
  );
}
