import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { AuthConfig } from '@/types/models';

/** What a server from before accounts is: open to everyone, no sign-up. */
const OPEN: AuthConfig = { access_mode: 'open', signup: false };

/** `GET /api/auth/config/`; a 404 (a server without accounts) means open mode. */
async function getAuthConfig(signal?: AbortSignal): Promise<AuthConfig> {
  try {
    const response = await api.get<AuthConfig>('/auth/config/', { signal });
    return response.data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return OPEN;
    throw error;
  }
}

/** The server's access mode; it changes only with a restart, so it is loaded once per page. */
export function useAuthConfig() {
  return useQuery({
    queryKey: queryKeys.auth.config,
    queryFn: ({ signal }) => getAuthConfig(signal),
    staleTime: Infinity,
  });
}
