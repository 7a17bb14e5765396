import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { User } from '@/types/models';

/** `GET /api/auth/me/`: the signed-in user, or null when signed out (401). */
async function getMe(signal?: AbortSignal): Promise<User | null> {
  try {
    const response = await api.get<User>('/auth/me/', { signal });
    return response.data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/**
 * The signed-in user (null when signed out); asked in accounts mode only. Refetched when the
 * window regains focus, so signing out in another tab shows here too.
 */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.auth.me,
    queryFn: ({ signal }) => getMe(signal),
  });
}
