import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { UserRecord } from '@/types/models';

async function getAgents(signal?: AbortSignal): Promise<UserRecord[]> {
  const [agents, admins] = await Promise.all([
    api.get<UserRecord[]>('/users/?role=agent', { signal }),
    api.get<UserRecord[]>('/users/?role=admin', { signal }),
  ]);
  return [...agents.data, ...admins.data].filter((user) => user.is_active);
}

/** `GET /api/users/?role=agent|admin`: who a ticket may be assigned to (active agents and admins). */
export function useAgents(enabled = true) {
  return useQuery({
    queryKey: ['users', 'agents'] as const,
    queryFn: ({ signal }) => getAgents(signal),
    enabled,
    staleTime: 60_000,
  });
}
