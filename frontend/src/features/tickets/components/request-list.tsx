import { Link } from 'react-router';
import { LoadError, Panel } from '@/components/panel';
import type { TicketListParams } from '@/lib/query-keys';
import { useTickets } from '../api/get-tickets';
import { LoadMore } from './load-more';
import { RelativeTime } from './relative-time';
import { StatusBadge } from './ticket-badges';

/** The server returns a requester's own tickets only, so the list asks for everything. */
const ALL: TicketListParams = { category: [], priority: [], status: [], search: '', ordering: 'newest' };

/** A requester's own requests, newest first, with where each one stands. */
export function RequestList() {
  const tickets = useTickets(ALL);
  const items = tickets.data?.pages.flatMap((page) => page.tickets) ?? [];
  const total = tickets.data?.pages[0]?.total ?? null;

  let body;
  if (tickets.isPending) {
    body = (
      <p className="list-state" role="status">
        Loading your requests…
      </p>
    );
  } else if (tickets.isError && items.length === 0) {
    body = <LoadError message={`Could not load your requests. ${tickets.error.message}`} onRetry={() => tickets.refetch()} />;
  } else if (items.length === 0) {
    body = <p className="list-state">You have not sent any requests yet. Requests you send appear here.</p>;
  } else {
    body = (
      <>
        <ul className="ticket-list" aria-label="My requests, newest first" aria-busy={tickets.isFetching}>
          {items.map((ticket) => (
            <li key={ticket.id} className="ticket-row ticket-row--request" data-testid="request-row">
              <article aria-labelledby={`request-${ticket.id}-title`} className="ticket-row__body">
                <h3 id={`request-${ticket.id}-title`} className="ticket-row__title">
                  <Link to={`/tickets/${ticket.id}`}>{ticket.title}</Link>
                </h3>
                <p className="ticket-row__meta">
                  <StatusBadge status={ticket.status} />
                  <span className="ticket-row__id">#{ticket.id}</span>
                  <span>
                    sent <RelativeTime iso={ticket.created_at} />
                  </span>
                </p>
              </article>
            </li>
          ))}
        </ul>
        <LoadMore tickets={tickets} noun="requests" />
      </>
    );
  }

  return (
    <Panel
      title="My requests"
      headingId="requests-heading"
      aside={
        <p className="panel__count" aria-live="polite">
          {total !== null ? `${total} ${total === 1 ? 'request' : 'requests'}` : null}
        </p>
      }
    >
      {body}
    </Panel>
  );
}
