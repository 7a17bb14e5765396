import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Message, MessageCreate } from '@/types/models';

type PostMessageVariables = { ticketId: number; data: MessageCreate };

async function postMessage({ ticketId, data }: PostMessageVariables): Promise<Message> {
  const response = await api.post<Message>(`/tickets/${ticketId}/messages/`, data);
  return response.data;
}

/**
 * Posts a reply or an internal note. The thread is refetched afterwards, and so is the ticket:
 * a requester's reply reopens a resolved ticket, an agent's first reply stops its first-response
 * clock.
 */
export function usePostMessage() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: postMessage,
    onSettled: (_message, _error, { ticketId }) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.messages(ticketId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.detail(ticketId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.history(ticketId) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.tickets.lists() }),
      ]),
  });
}
