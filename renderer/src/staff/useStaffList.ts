/** The staff list (for the sign-in and approval names, and the Staff screen), loaded again whenever the staff change. */
import { useCallback, useEffect, useState } from 'react';
import type { StaffMember } from '../../../preload/contract';
import { useApp } from '../context';
import { toErrorLike, type ErrorLike } from '../i18n';

export function useStaffList(): { people: StaffMember[] | null; error: ErrorLike | null; reload(): Promise<void> } {
  const { api } = useApp();
  const [people, setPeople] = useState<StaffMember[] | null>(null);
  const [error, setError] = useState<ErrorLike | null>(null);
  const reload = useCallback(async () => {
    try {
      setPeople(await api.call('staff.list', {}));
      setError(null);
    } catch (e) {
      setError(toErrorLike(e));
    }
  }, [api]);
  useEffect(() => {
    void reload();
    return api.on('staff.changed', () => void reload());
  }, [api, reload]);
  return { people, error, reload };
}
