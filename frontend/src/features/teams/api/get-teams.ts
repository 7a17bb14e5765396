import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Team } from '@/types/models';

/** The same key the ticket selects use, so a saved team refreshes them too. */
export const teamsKey = ['teams'] as const;

async function getTeams(signal?: AbortSignal): Promise<Team[]> {
  const response = await api.get<Team[]>('/teams/', { signal });
  return response.data;
}

/** `GET /api/teams/`: every team by name, with member ids, categories and assignment rule. */
export function useTeamList(enabled = true) {
  return useQuery({ enabled, queryKey: teamsKey, queryFn: ({ signal }) => getTeams(signal) });
}
