import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import type { Category, Priority, Status, Ticket } from '@/types/models';
import { RelativeTime } from './relative-time';

export function CategoryBadge({ category }: { category: Category }) {
  return <span className={`badge badge--category-${category}`}>{CATEGORY_LABELS[category]}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <span className={`badge badge--priority-${priority}`}>
      <span className="visually-hidden">Priority: </span>
      {PRIORITY_LABELS[priority]}
    </span>
  );
}

/** A status as text, where the viewer cannot change it (a requester's own requests). */
export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`badge badge--status-${status}`}>
      <span className="visually-hidden">Status: </span>
      {STATUS_LABELS[status]}
    </span>
  );
}

type Target = Ticket['sla']['first_response'];

/** The next service-level target still running: the one due soonest. */
function nextDue(sla: Ticket['sla']): { label: string; target: Target } | null {
  const running = [
    { label: 'First response', target: sla.first_response },
    { label: 'Resolution', target: sla.resolution },
  ].filter(({ target }) => target.due_at !== null && target.met_at === null);
  running.sort((a, b) => (a.target.due_at ?? '').localeCompare(b.target.due_at ?? ''));
  return running[0] ?? null;
}

/** A missed target as a badge, or when the next one running is due; nothing without targets. */
export function SlaBadge({ ticket }: { ticket: Ticket }) {
  const { sla } = ticket;
  const missed = [
    sla.first_response.breached ? 'first response' : null,
    sla.resolution.breached ? 'resolution' : null,
  ].filter(Boolean);
  if (missed.length > 0) {
    return (
      <span className="badge badge--sla-breached" title={`Missed: ${missed.join(' and ')}`}>
        SLA breached<span className="visually-hidden"> ({missed.join(' and ')})</span>
      </span>
    );
  }
  const running = ticket.status === 'open' || ticket.status === 'in_progress';
  const next = running ? nextDue(sla) : null;
  if (!next || !next.target.due_at) return null;
  return (
    <span className="badge badge--sla-due">
      {next.label} due <RelativeTime iso={next.target.due_at} />
    </span>
  );
}
