import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { TicketEmail } from '@/types/models';

/** While an email waits for the worker, its delivery state is checked this often. */
const QUEUED_POLL_MS = 5_000;

async function getTicketEmails(ticketId: number, signal?: AbortSignal): Promise<TicketEmail[]> {
  const response = await api.get<TicketEmail[]>(`/tickets/${ticketId}/emails/`, { signal });
  return Array.isArray(response.data) ? response.data : [];
}

/**
 * A ticket's emails (received and sent, oldest first) with delivery state and attachments.
 * Refreshed with the thread, and polled while one is still queued for sending.
 */
export function useTicketEmails(ticketId: number) {
  return useQuery({
    queryKey: queryKeys.tickets.emails(ticketId),
    queryFn: ({ signal }) => getTicketEmails(ticketId, signal),
    retry: false,
    refetchInterval: (query) =>
      query.state.data?.some((email) => email.status === 'queued') ? QUEUED_POLL_MS : false,
  });
}
