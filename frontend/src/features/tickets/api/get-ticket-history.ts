import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { TicketHistoryEntry } from '@/types/models';

async function getTicketHistory(
  id: number,
  signal?: AbortSignal,
): Promise<TicketHistoryEntry[]> {
  const response = await api.get<TicketHistoryEntry[]>(`/tickets/${id}/history/`, { signal });
  return Array.isArray(response.data) ? response.data : [];
}

/** A ticket's change history. Older servers have no such endpoint: callers hide it on error. */
export function useTicketHistory(id: number) {
  return useQuery({
    queryKey: queryKeys.tickets.history(id),
    queryFn: ({ signal }) => getTicketHistory(id, signal),
    retry: false,
  });
}
