import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Team, TeamWrite } from '@/types/models';
import { teamsKey } from './get-teams';

async function updateTeam({ id, data }: { id: number; data: Partial<TeamWrite> }): Promise<Team> {
  const response = await api.patch<Team>(`/teams/${id}/`, data);
  return response.data;
}

/** `PATCH /api/teams/<id>/` (admins): name, members, categories, rule (lists replace). */
export function useUpdateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTeam,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamsKey }),
  });
}
