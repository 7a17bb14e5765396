import { useState } from 'react';
import { LoadError, Panel } from '@/components/panel';
import type { Status, Ticket } from '@/types/models';
import { STATUS_LABELS } from '@/lib/labels';
import { useTickets } from '../api/get-tickets';
import { useUpdateTicket } from '../api/update-ticket';
import { useTicketFilters } from '../hooks/use-ticket-filters';
import { LoadMore } from './load-more';
import { QuickViews } from './quick-views';
import { TicketFilters } from './ticket-filters';
import { TicketRow } from './ticket-row';

const numberFormat = new Intl.NumberFormat();

/**
 * "3 tickets", "1 match"; an estimate (a search matching very many tickets at volume) reads
 * "about 48,000 matches", rounded to two significant digits so it does not look exact.
 */
function countLabel(count: number, filtered: boolean, exact = true): string {
  const shown = exact || count < 100 ? count : Number(count.toPrecision(2));
  const noun = filtered ? (count === 1 ? 'match' : 'matches') : count === 1 ? 'ticket' : 'tickets';
  return `${exact ? '' : 'about '}${numberFormat.format(shown)} ${noun}`;
}

export function TicketList() {
  const { filters, clear, active } = useTicketFilters();
  const tickets = useTickets(filters);
  const update = useUpdateTicket();
  const [failure, setFailure] = useState<string | null>(null);

  const onStatusChange = (ticket: Ticket, status: Status) => {
    setFailure(null);
    update.mutate(
      { id: ticket.id, data: { status } },
      {
        onError: (error) =>
          setFailure(
            `Could not move “${ticket.title}” to ${STATUS_LABELS[status]}: ${error.message} The change was undone.`,
          ),
      },
    );
  };

  const items = tickets.data?.pages.flatMap((page) => page.tickets) ?? [];
  const total = tickets.data?.pages[0]?.total ?? null;
  const totalExact = tickets.data?.pages[0]?.totalExact ?? true;

  let body;
  if (tickets.isPending) {
    body = (
      <p className="list-state" role="status">
        Loading tickets…
      </p>
    );
  } else if (tickets.isError && items.length === 0) {
    body = <LoadError message={`Could not load tickets. ${tickets.error.message}`} onRetry={() => tickets.refetch()} />;
  } else if (items.length === 0) {
    body = active ? (
      <div className="list-state">
        <p>No tickets match these filters.</p>
        <button type="button" className="button" onClick={clear}>
          Clear filters
        </button>
      </div>
    ) : (
      <p className="list-state">No tickets yet. Submitted tickets will appear here.</p>
    );
  } else {
    body = (
      <>
        <ul
          className="ticket-list"
          aria-label={filters.ordering === 'relevance' ? 'Tickets, best match first' : 'Tickets, newest first'}
          aria-busy={tickets.isFetching}
        >
          {items.map((ticket) => (
            <TicketRow key={ticket.id} ticket={ticket} onStatusChange={onStatusChange} />
          ))}
        </ul>
        <LoadMore tickets={tickets} noun="tickets" />
      </>
    );
  }

  return (
    <Panel
      title="Tickets"
      headingId="tickets-heading"
      className="ticket-list-panel"
      aside={
        <p
          className="panel__count"
          aria-live="polite"
          data-testid="ticket-count"
          title={total !== null && !totalExact ? 'Estimated: too many matches to count exactly' : undefined}
        >
          {total !== null ? countLabel(total, active, totalExact) : null}
        </p>
      }
    >
      <QuickViews />
      <TicketFilters />
      <div role="alert">
        {failure ? <p className="notice notice--error">{failure}</p> : null}
      </div>
      {body}
    </Panel>
  );
}
