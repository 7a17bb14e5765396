import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Ticket, TicketUpdate } from '@/types/models';
import type { TicketListData } from './get-tickets';

type UpdateTicketVariables = { id: number; data: TicketUpdate };

async function updateTicket({ id, data }: UpdateTicketVariables): Promise<Ticket> {
  const response = await api.patch<Ticket>(`/tickets/${id}/`, data);
  return response.data;
}

function patchLists(
  data: TicketListData | undefined,
  id: number,
  change: (ticket: Ticket) => Ticket,
): TicketListData | undefined {
  if (!data) return data;
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      tickets: page.tickets.map((ticket) => (ticket.id === id ? change(ticket) : ticket)),
    })),
  };
}

/**
 * Changes a ticket optimistically: every cached copy shows the change at once and is restored if
 * the server refuses it. Lists, the ticket, its history, the stats and the triage status are
 * refetched afterwards.
 */
export function useUpdateTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTicket,
    onMutate: async ({ id, data }) => {
      await Promise.all([
        queryClient.cancelQueries({ queryKey: queryKeys.tickets.lists() }),
        queryClient.cancelQueries({ queryKey: queryKeys.tickets.detail(id) }),
      ]);
      const lists = queryClient.getQueriesData<TicketListData>({
        queryKey: queryKeys.tickets.lists(),
      });
      const detail = queryClient.getQueryData<Ticket>(queryKeys.tickets.detail(id));
      // Team and assignee are sent as ids; the server's answer brings their names.
      const fields = Object.fromEntries(
        Object.entries(data).filter(([key]) => key !== 'team' && key !== 'assignee'),
      ) as Omit<typeof data, 'team' | 'assignee'>;
      const apply = (ticket: Ticket): Ticket => ({
        ...ticket,
        ...fields,
        category_by_human: ticket.category_by_human || data.category !== undefined,
        priority_by_human: ticket.priority_by_human || data.priority !== undefined,
      });
      queryClient.setQueriesData<TicketListData>({ queryKey: queryKeys.tickets.lists() }, (old) =>
        patchLists(old, id, apply),
      );
      if (detail) queryClient.setQueryData(queryKeys.tickets.detail(id), apply(detail));
      return { lists, detail };
    },
    onError: (_error, { id }, context) => {
      if (!context) return;
      for (const [key, data] of context.lists) queryClient.setQueryData(key, data);
      if (context.detail) queryClient.setQueryData(queryKeys.tickets.detail(id), context.detail);
    },
    onSuccess: (ticket) => {
      queryClient.setQueryData(queryKeys.tickets.detail(ticket.id), ticket);
      queryClient.setQueriesData<TicketListData>({ queryKey: queryKeys.tickets.lists() }, (old) =>
        patchLists(old, ticket.id, () => ticket),
      );
    },
    onSettled: (_ticket, _error, { id }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.lists() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.detail(id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.history(id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.stats }),
        queryClient.invalidateQueries({ queryKey: queryKeys.triageStatus }),
      ]),
  });
}
