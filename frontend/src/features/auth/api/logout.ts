import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '@/lib/api-client';
import { setSessionUser } from '../session';

/** `POST /api/auth/logout/` → 204. A 401 means the session had already ended: also signed out. */
async function logout(): Promise<void> {
  try {
    await api.post('/auth/logout/');
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  }
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSuccess: () => setSessionUser(queryClient, null),
  });
}
