import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { User } from '@/types/models';

async function updateMe(data: { available: boolean }): Promise<User> {
  const response = await api.patch<User>('/auth/me/', data);
  return response.data;
}

/** `PATCH /api/auth/me/` (agents, admins): one's own availability for new tickets. */
export function useUpdateMe() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateMe,
    onSuccess: (user) => {
      queryClient.setQueryData(queryKeys.auth.me, user);
      // Team and agent lists show who is available.
      void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
  });
}
