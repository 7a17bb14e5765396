import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api-client';
import type { Ticket } from '@/types/models';
import { useUpdateTicket } from '../api/update-ticket';
import { RequestFields } from './request-fields';
import { requestDraftErrors, requestFieldErrors, type RequestFieldErrors } from './request-validation';
import { RelativeTime } from './relative-time';
import { Thread } from './thread';
import { StatusBadge } from './ticket-badges';
import { TicketDialog } from './ticket-dialog';

type EditProps = {
  ticket: Ticket;
  onDone: () => void;
  /** Why saving failed; shown by the detail, since a refusal can end editing (no longer open). */
  onFailure: (message: string | null) => void;
};

function EditRequest({ ticket, onDone, onFailure }: EditProps) {
  const update = useUpdateTicket();
  const formRef = useRef<HTMLFormElement>(null);
  const [title, setTitle] = useState(ticket.title);
  const [description, setDescription] = useState(ticket.description);
  const [errors, setErrors] = useState<RequestFieldErrors>({});

  useEffect(() => formRef.current?.querySelector<HTMLElement>('[name="title"]')?.focus(), []);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending) return;
    const found = requestDraftErrors(title, description);
    setErrors(found);
    onFailure(null);
    if (Object.keys(found).length > 0) return;
    update.mutate(
      { id: ticket.id, data: { title: title.trim(), description: description.trim() } },
      {
        onSuccess: onDone,
        onError: (error) => {
          const fromServer = requestFieldErrors(error);
          setErrors(fromServer);
          const hasFields = error instanceof ApiError && Object.keys(error.fields).length > 0;
          onFailure(`Could not save: ${hasFields ? 'please fix the highlighted fields.' : error.message}`);
        },
      },
    );
  };

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-label="Edit request">
      <RequestFields
        title={title}
        description={description}
        errors={errors}
        onTitleChange={setTitle}
        onDescriptionChange={setDescription}
      />
      <div className="detail__actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" aria-disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}

function RequestBody({ ticket }: { ticket: Ticket }) {
  const update = useUpdateTicket();
  const [editing, setEditing] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const open = ticket.status === 'open';
  const closed = ticket.status === 'closed';

  const close = () => {
    if (update.isPending) return;
    setFailure(null);
    update.mutate(
      { id: ticket.id, data: { status: 'closed' } },
      { onError: (error) => setFailure(`Could not close the request: ${error.message}`) },
    );
  };

  return (
    <>
      <p className="detail__meta">
        #{ticket.id} · sent <RelativeTime iso={ticket.created_at} /> · updated <RelativeTime iso={ticket.updated_at} />
      </p>
      <p className="detail__status">
        <StatusBadge status={ticket.status} />
      </p>
      <div role="alert">{failure ? <p className="notice notice--error">{failure}</p> : null}</div>
      {editing && open ? (
        <EditRequest
          ticket={ticket}
          onDone={() => {
            setFailure(null);
            setEditing(false);
          }}
          onFailure={setFailure}
        />
      ) : (
        <>
          <Thread ticket={ticket} canWriteNotes={false} />
          <p className="muted detail__note">
            {closed
              ? 'This request is closed. To ask something else, please open a new request.'
              : open
                ? 'You can edit this request until someone starts working on it.'
                : 'Someone is handling this request, so it can no longer be edited.'}
          </p>
          {closed ? null : (
            <div className="detail__actions">
              {open ? (
                <button type="button" className="button" onClick={() => setEditing(true)}>
                  Edit
                </button>
              ) : null}
              <button type="button" className="button" aria-disabled={update.isPending} onClick={close}>
                {update.isPending ? 'Closing…' : 'Close request'}
              </button>
            </div>
          )}
        </>
      )}
    </>
  );
}

/**
 * A requester's view of their request: the public conversation (the description opens it) with a
 * reply box, editing the title and description while it is open, and closing it. No labels,
 * triage, internal notes or history: those are the agents'.
 */
export function RequestDetail({ id, onClose }: { id: number; onClose: () => void }) {
  return (
    <TicketDialog id={id} onClose={onClose}>
      {(ticket) => <RequestBody ticket={ticket} />}
    </TicketDialog>
  );
}
