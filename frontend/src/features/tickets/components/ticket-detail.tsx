import { useState } from 'react';
import { SelectField } from '@/components/select-field';
import { formatChangeSource, formatConfidence, formatDateTime, formatProvider } from '@/lib/format';
import { CATEGORY_LABELS, CATEGORY_OPTIONS, PRIORITY_LABELS, PRIORITY_OPTIONS, STATUS_LABELS } from '@/lib/labels';
import type { Ticket, TicketField, TicketHistoryEntry, TicketUpdate } from '@/types/models';
import { useTicketHistory } from '../api/get-ticket-history';
import { useUpdateTicket } from '../api/update-ticket';
import { RelativeTime } from './relative-time';
import { StatusSelect } from './status-select';
import { Thread } from './thread';
import { TicketAssignment } from './ticket-assignment';
import { RequesterLine, TicketDialog } from './ticket-dialog';

const FIELD_LABELS: Record<TicketField, string> = {
  status: 'Status',
  category: 'Category',
  priority: 'Priority',
  title: 'Title',
  description: 'Description',
};

function valueLabel(field: TicketField, value: string | null): string {
  if (value === null || value === '') return '—';
  const labels: Record<string, string> =
    field === 'status' ? STATUS_LABELS : field === 'category' ? CATEGORY_LABELS : field === 'priority' ? PRIORITY_LABELS : {};
  return labels[value] ?? value;
}

function TriageSummary({ ticket }: { ticket: Ticket }) {
  if (!ticket.suggested_category && !ticket.suggested_priority) {
    return <p className="detail__triage">No AI suggestion was recorded for this ticket.</p>;
  }
  const parts = [
    ticket.suggested_category ? CATEGORY_LABELS[ticket.suggested_category] : null,
    ticket.suggested_priority ? PRIORITY_LABELS[ticket.suggested_priority] : null,
  ].filter(Boolean);
  const confidence = ticket.triage_confidence != null ? `, ${formatConfidence(ticket.triage_confidence)} confident` : '';
  // A label the server received from a person is flagged as theirs, whether it keeps the suggestion
  // (confirmed) or not (changed); an unflagged one was left to automatic triage.
  const fate = (byHuman: boolean, value: string, suggested: string | null) =>
    !byHuman ? 'left to triage' : value === suggested ? 'confirmed by a person' : 'changed by a person';
  const category = fate(ticket.category_by_human, ticket.category, ticket.suggested_category);
  const priority = fate(ticket.priority_by_human, ticket.priority, ticket.suggested_priority);
  const kept =
    category === priority ? `Both labels ${category}.` : `Category ${category}, priority ${priority}.`;
  return (
    <p className="detail__triage">
      <span className="ai-tag" aria-hidden="true">
        AI
      </span>{' '}
      Suggested {parts.join(' · ')} ({formatProvider(ticket.triage_provider || 'unknown')}
      {confidence}). {kept}
    </p>
  );
}

function History({ id }: { id: number }) {
  const history = useTicketHistory(id);
  if (!history.isSuccess) return null;
  return (
    <section className="detail__history" aria-labelledby={`history-${id}`}>
      <h3 id={`history-${id}`} className="detail__subtitle">
        History
      </h3>
      {history.data.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <ol className="history">
          {history.data.map((entry: TicketHistoryEntry, index) => (
            <li key={`${entry.at}-${entry.field}-${index}`}>
              <span className="history__what">
                {FIELD_LABELS[entry.field]}: {valueLabel(entry.field, entry.old)} →{' '}
                {valueLabel(entry.field, entry.new)}
              </span>{' '}
              <span className="muted">
                {formatChangeSource(entry.source)}, <RelativeTime iso={entry.at} />
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function TargetLine({ label, target }: { label: string; target: Ticket['sla']['first_response'] }) {
  if (!target.due_at) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        due <time dateTime={target.due_at}>{formatDateTime(target.due_at)}</time>
        {target.met_at ? (
          <>
            {' '}
            · met <time dateTime={target.met_at}>{formatDateTime(target.met_at)}</time>
          </>
        ) : null}
        {target.breached ? <span className="badge badge--sla-breached">Breached</span> : null}
      </dd>
    </>
  );
}

/** The ticket's service-level targets: when each is due, when it was met, whether missed. */
function SlaSummary({ ticket }: { ticket: Ticket }) {
  const { sla } = ticket;
  if (!sla.first_response.due_at && !sla.resolution.due_at) return null;
  return (
    <section aria-labelledby={`sla-${ticket.id}`}>
      <h3 id={`sla-${ticket.id}`} className="detail__subtitle">
        Service levels
      </h3>
      <dl className="detail__sla">
        <TargetLine label="First response" target={sla.first_response} />
        <TargetLine label="Resolution" target={sla.resolution} />
      </dl>
    </section>
  );
}

function DetailBody({ ticket }: { ticket: Ticket }) {
  const update = useUpdateTicket();
  const [failure, setFailure] = useState<string | null>(null);

  const change = (data: TicketUpdate) => {
    setFailure(null);
    update.mutate(
      { id: ticket.id, data },
      { onError: (error) => setFailure(`Could not save: ${error.message} The change was undone.`) },
    );
  };

  return (
    <>
      <p className="detail__meta">
        #{ticket.id} · created <RelativeTime iso={ticket.created_at} /> · updated{' '}
        <RelativeTime iso={ticket.updated_at} />
      </p>
      <RequesterLine ticket={ticket} />
      <div className="detail__controls">
        <StatusSelect value={ticket.status} onChange={(status) => change({ status })} />
        <SelectField
          compact
          label="Category"
          value={ticket.category}
          options={CATEGORY_OPTIONS}
          onChange={(category) => change({ category })}
        />
        <SelectField
          compact
          label="Priority"
          value={ticket.priority}
          options={PRIORITY_OPTIONS}
          onChange={(priority) => change({ priority })}
        />
      </div>
      {'assignee' in ticket ? <TicketAssignment ticket={ticket} onChange={change} /> : null}
      <div role="alert">{failure ? <p className="notice notice--error">{failure}</p> : null}</div>
      <TriageSummary ticket={ticket} />
      <SlaSummary ticket={ticket} />
      <Thread ticket={ticket} canWriteNotes />
      <History id={ticket.id} />
    </>
  );
}

/**
 * A ticket's detail for agents: status, labels, triage, the conversation (the description as its
 * opening message, replies and internal notes) and history, in the ticket dialog.
 */
export function TicketDetail({ id, onClose }: { id: number; onClose: () => void }) {
  return (
    <TicketDialog id={id} onClose={onClose}>
      {(ticket) => <DetailBody ticket={ticket} />}
    </TicketDialog>
  );
}
