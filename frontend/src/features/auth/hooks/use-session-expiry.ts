import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { onUnauthorized } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { setSessionUser } from '../session';

/**
 * When any call answers 401 (the session expired, was signed out elsewhere, or the user was
 * deactivated), forgets the user and what they loaded, so the app shows the sign-in page. The
 * access config is asked again too: a server that now answers 401 may have left open mode.
 */
export function useSessionExpiry(): void {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onUnauthorized(() => {
        setSessionUser(queryClient, null);
        void queryClient.invalidateQueries({ queryKey: queryKeys.auth.config });
      }),
    [queryClient],
  );
}
