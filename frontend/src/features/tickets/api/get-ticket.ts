import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Ticket } from '@/types/models';
import type { TicketListData } from './get-tickets';

async function getTicket(id: number, signal?: AbortSignal): Promise<Ticket> {
  const response = await api.get<Ticket>(`/tickets/${id}/`, { signal });
  return response.data;
}

/** Loads one ticket, showing the copy already in a loaded list page at once. */
export function useTicket(id: number) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: queryKeys.tickets.detail(id),
    queryFn: ({ signal }) => getTicket(id, signal),
    initialData: () => {
      for (const [, data] of queryClient.getQueriesData<TicketListData>({
        queryKey: queryKeys.tickets.lists(),
      })) {
        const found = data?.pages.flatMap((page) => page.tickets).find((t) => t.id === id);
        if (found) return found;
      }
      return undefined;
    },
    initialDataUpdatedAt: () =>
      queryClient.getQueryState(queryKeys.tickets.lists())?.dataUpdatedAt,
  });
}
