import { useEffect, useId, useRef, type ReactNode } from 'react';
import { formatDateTime } from '@/lib/format';
import type { Ticket } from '@/types/models';
import { useTicket } from '../api/get-ticket';

/** Who asked for the ticket, when accounts say (nothing in open mode or on older tickets). */
export function RequesterLine({ ticket }: { ticket: Ticket }) {
  if (!ticket.requester) return null;
  const { name, email } = ticket.requester;
  return (
    <p className="detail__requester">
      Requested by {name || email}
      {name ? <span className="muted"> ({email})</span> : null}
    </p>
  );
}

type Props = {
  id: number;
  onClose: () => void;
  /** The body once the ticket has loaded. */
  children: (ticket: Ticket) => ReactNode;
};

/**
 * A ticket in a modal dialog: its title, a Close button, loading and not-found states, and the
 * body the caller renders. Closing (button, Escape, backdrop) calls `onClose`; focus returns to
 * what opened it.
 */
export function TicketDialog({ id, onClose, children }: Props) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const ticket = useTicket(id);
  const headingId = useId();

  useEffect(() => {
    const dialog = dialogRef.current;
    // Route changes unmount the dialog rather than close it, so focus is handed back by hand.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={dialogRef}
      className="detail"
      aria-labelledby={headingId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        // A click on the backdrop lands on the dialog element itself.
        if (event.target === event.currentTarget) onClose();
      }}
    >
      <div className="detail__inner">
        <header className="detail__header">
          <h2 id={headingId} className="detail__title">
            {ticket.data?.title ?? (ticket.isError ? 'Ticket not found' : 'Loading ticket…')}
          </h2>
          <button type="button" className="button button--ghost" onClick={onClose}>
            Close
          </button>
        </header>
        {ticket.data ? (
          children(ticket.data)
        ) : ticket.isError ? (
          <p role="alert">Could not load ticket #{id}. {ticket.error.message}</p>
        ) : (
          <p role="status">Loading…</p>
        )}
        {ticket.data ? (
          <p className="muted detail__timestamp">Created {formatDateTime(ticket.data.created_at)}</p>
        ) : null}
      </div>
    </dialog>
  );
}
