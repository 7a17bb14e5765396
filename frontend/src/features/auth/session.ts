import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/lib/query-keys';
import type { User } from '@/types/models';

/**
 * Makes `user` (null: nobody) the signed-in user and drops every cached answer but the access
 * config, so nothing one user loaded is shown to the next one on this browser.
 */
export function setSessionUser(queryClient: QueryClient, user: User | null): void {
  queryClient.removeQueries({
    predicate: (query) => query.queryKey[0] !== queryKeys.auth.all[0],
  });
  queryClient.setQueryData(queryKeys.auth.me, user);
}
