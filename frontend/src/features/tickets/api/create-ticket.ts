import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { ApiError, api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { uuid4 } from '@/lib/uuid';
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

/**
 * `useCreateTicket` with the idempotency key handled: resubmitting the same input after a failure
 * reuses the key (the server answers with the ticket it may already have made); different input
 * gets a new one. `submit` resolves with the created ticket or rejects with the ApiError.
 */
export function useSubmitTicket() {
  const create = useCreateTicket();
  const attempt = useRef<{ key: string; payload: string } | null>(null);
  const submit = async (data: TicketCreate): Promise<Ticket> => {
    const payload = JSON.stringify(data);
    if (attempt.current?.payload !== payload) attempt.current = { key: uuid4(), payload };
    const ticket = await create.mutateAsync({ data, idempotencyKey: attempt.current.key });
    attempt.current = null;
    return ticket;
  };
  return { ...create, submit };
}
