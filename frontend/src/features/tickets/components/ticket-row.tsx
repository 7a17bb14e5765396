import { Link, useLocation } from 'react-router';
import { initials } from '@/lib/format';
import type { Status, Ticket } from '@/types/models';
import { CategoryBadge, PriorityBadge, SlaBadge } from './ticket-badges';
import { RelativeTime } from './relative-time';
import { StatusSelect } from './status-select';

const EXCERPT_LENGTH = 160;

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH).trimEnd()}…` : flat;
}

type Props = {
  ticket: Ticket;
  onStatusChange: (ticket: Ticket, status: Status) => void;
};

export function TicketRow({ ticket, onStatusChange }: Props) {
  const location = useLocation();
  const headingId = `ticket-${ticket.id}-title`;
  return (
    <li className="ticket-row" data-testid="ticket-row" data-ticket-id={ticket.id}>
      <article aria-labelledby={headingId} className="ticket-row__body">
        <h3 id={headingId} className="ticket-row__title">
          <Link to={{ pathname: `/tickets/${ticket.id}`, search: location.search }}>
            {ticket.title}
          </Link>
        </h3>
        <p className="ticket-row__excerpt">{excerpt(ticket.description)}</p>
        <p className="ticket-row__meta">
          <CategoryBadge category={ticket.category} />
          <PriorityBadge priority={ticket.priority} />
          <SlaBadge ticket={ticket} />
          <span className="ticket-row__id">#{ticket.id}</span>
          {ticket.requester ? (
            <span className="ticket-row__requester">from {ticket.requester.name || ticket.requester.email}</span>
          ) : null}
          <RelativeTime iso={ticket.created_at} />
          {ticket.needs_triage ? <span className="badge badge--warning">needs triage</span> : null}
          {ticket.assignee ? (
            <abbr className="ticket-row__assignee" title={`Assigned to ${ticket.assignee.name}`}>
              <span aria-hidden="true">{initials(ticket.assignee.name)}</span>
              <span className="visually-hidden">Assigned to {ticket.assignee.name}</span>
            </abbr>
          ) : null}
        </p>
      </article>
      <StatusSelect
        className="ticket-row__status"
        value={ticket.status}
        onChange={(status) => onStatusChange(ticket, status)}
      />
    </li>
  );
}
