import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { UserRecord } from '@/types/models';

async function getAgents(signal?: AbortSignal): Promise<UserRecord[]> {
  const [agents, admins] = await Promise.all([
    api.get<UserRecord[]>('/users/?role=agent', { signal }),
    api.get<UserRecord[]>('/users/?role=admin', { signal }),
  ]);
  return [...agents.data, ...admins.data];
}

/**
 * `GET /api/users/?role=agent|admin`: who may be a team member (the server takes active agents and
 * admins); inactive ones are listed too, so a team's current members keep their names.
 */
export function useAgentList(enabled = true) {
  return useQuery({ enabled, queryKey: ['users', 'staff'] as const, queryFn: ({ signal }) => getAgents(signal) });
}
