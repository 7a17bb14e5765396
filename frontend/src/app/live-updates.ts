import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { subscribeToEvents } from '@/lib/event-stream';
import { queryKeys } from '@/lib/query-keys';
import type { Message, Stats, Ticket } from '@/types/models';

function isTicket(data: unknown): data is Ticket {
  return typeof data === 'object' && data !== null && typeof (data as Ticket).id === 'number';
}

function isMessage(data: unknown): data is Message {
  return typeof data === 'object' && data !== null && typeof (data as Message).ticket === 'number';
}

function isStats(data: unknown): data is Stats {
  return typeof data === 'object' && data !== null && typeof (data as Stats).total_tickets === 'number';
}

/**
 * Keeps the list, open tickets, the dashboard and the triage model's status in step with changes
 * made anywhere, through the server's event stream (`ticket.created`, `ticket.updated`, `message.created`,
 * `ticket.sla_breached`, `stats`, `resync`); while the stream is down the queries poll instead (see live-status).
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const onTicket = (data: unknown) => {
      if (isTicket(data)) {
        queryClient.setQueryData(queryKeys.tickets.detail(data.id), data);
        void queryClient.invalidateQueries({ queryKey: queryKeys.tickets.history(data.id) });
      }
      // Filters, ordering and counts decide where a changed ticket belongs: let the server say.
      void queryClient.invalidateQueries({ queryKey: queryKeys.tickets.lists() });
      // A label a person chose moves the triage model towards its next retrain.
      void queryClient.invalidateQueries({ queryKey: queryKeys.triageStatus });
    };
    return subscribeToEvents({
      'ticket.created': onTicket,
      'ticket.updated': onTicket,
      // A reply or note was posted (the server sends notes to agents only): reload that thread.
      'message.created': (data) => {
        if (isMessage(data)) void queryClient.invalidateQueries({ queryKey: queryKeys.tickets.messages(data.ticket) });
      },
      // A service-level target was missed: the ticket, as it stands, with its breach recorded.
      'ticket.sla_breached': onTicket,
      stats: (data) => {
        if (isStats(data)) queryClient.setQueryData(queryKeys.stats, data);
      },
      // The server could not say what changed (too much missed while away, or this page read
      // too slowly): reload every ticket query and the triage status. Fresh stats follow on the
      // stream.
      resync: () => {
        void queryClient.invalidateQueries({ queryKey: queryKeys.tickets.all });
        void queryClient.invalidateQueries({ queryKey: queryKeys.triageStatus });
      },
    });
  }, [queryClient]);
}
