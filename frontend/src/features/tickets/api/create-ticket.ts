import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Ticket, TicketCreate } from '@/types/models';

type CreateTicketVariables = {
  data: TicketCreate;
  /** One key per submission attempt; retries of the same attempt reuse it, so no duplicates. */
  idempotencyKey: string;
};

async function createTicket({ data, idempotencyKey }: CreateTicketVariables): Promise<Ticket> {
  const response = await api.post<Ticket>('/tickets/', data, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return response.data;
}

export function useCreateTicket() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTicket,
    // Safe to resend thanks to the idempotency key; only a lost connection is worth it.
    retry: (failureCount, error) =>
      failureCount < 2 && error instanceof ApiError && error.isNetworkError,
    onSuccess: (ticket) => {
      queryClient.setQueryData(queryKeys.tickets.detail(ticket.id), ticket);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.lists() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.stats }),
        queryClient.invalidateQueries({ queryKey: queryKeys.triageStatus }),
      ]);
    },
  });
}
