import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Team } from '@/types/models';

export const teamsKey = ['teams'] as const;

async function getTeams(signal?: AbortSignal): Promise<Team[]> {
  const response = await api.get<Team[]>('/teams/', { signal });
  return response.data;
}

/** `GET /api/teams/` (agents): every team by name, for the team and assignee selects. */
export function useTeams(enabled = true) {
  return useQuery({ queryKey: teamsKey, queryFn: ({ signal }) => getTeams(signal), enabled, staleTime: 60_000 });
}
