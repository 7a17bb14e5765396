import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import type { Team, TeamWrite } from '@/types/models';
import { teamsKey } from './get-teams';

async function createTeam(data: TeamWrite): Promise<Team> {
  const response = await api.post<Team>('/teams/', data);
  return response.data;
}

/** `POST /api/teams/` (admins). A 400 carries the server's messages per field. */
export function useCreateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTeam,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamsKey }),
  });
}
