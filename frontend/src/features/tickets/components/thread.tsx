import { useId, useState, type FormEvent } from 'react';
import { TextAreaField } from '@/components/text-field';
import { ApiError } from '@/lib/api-client';
import type { Message, Ticket, TicketEmail } from '@/types/models';
import { useMessages } from '../api/get-messages';
import { useTicketEmails } from '../api/get-ticket-emails';
import { usePostMessage } from '../api/post-message';
import { EmailMarks } from './email-marks';
import { RelativeTime } from './relative-time';

const BODY_MAX_LENGTH = 10_000;

const ROLE_LABELS: Record<string, string> = { requester: 'Requester', agent: 'Support', admin: 'Support' };

type Kind = 'reply' | 'note';

function authorName(message: Message): string {
  if (!message.author) return 'System';
  return message.author.name || `User #${message.author.id}`;
}

/** One message. Its body is a React text node (never HTML); line breaks are kept by CSS. */
function MessageItem({ message, email }: { message: Message; email?: TicketEmail }) {
  const role = message.author_role ? ROLE_LABELS[message.author_role] : null;
  return (
    <li>
      <article
        className={message.internal ? 'message message--internal' : 'message'}
        aria-label={message.internal ? `Internal note by ${authorName(message)}` : `Message from ${authorName(message)}`}
      >
        <header className="message__head">
          {message.internal ? <span className="message__tag">Internal note</span> : null}
          <span className="message__author">{authorName(message)}</span>
          {role ? <span className="muted"> · {role}</span> : null}
          <span className="muted">
            {' '}
            · <RelativeTime iso={message.created_at} />
          </span>
        </header>
        <p className="message__body">{message.body}</p>
        {email ? <EmailMarks email={email} /> : message.via === 'email' ? <p className="muted">Via email</p> : null}
      </article>
    </li>
  );
}

/** The ticket's own description, shown as the thread's opening message (it stays the ticket's field). */
function OpeningMessage({ ticket, email }: { ticket: Ticket; email?: TicketEmail }) {
  const who = ticket.requester ? ticket.requester.name || ticket.requester.email : 'Requester';
  return (
    <li>
      <article className="message message--opening" aria-label={`Request from ${who}`}>
        <header className="message__head">
          <span className="message__author">{who}</span>
          <span className="muted">
            {' '}
            · opened the request · <RelativeTime iso={ticket.created_at} />
          </span>
        </header>
        <p className="message__body">{ticket.description}</p>
        {email ? <EmailMarks email={email} /> : null}
      </article>
    </li>
  );
}

function ReplyBox({ ticket, canWriteNotes }: { ticket: Ticket; canWriteNotes: boolean }) {
  const post = usePostMessage();
  const [kind, setKind] = useState<Kind>('reply');
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const groupId = useId();
  const note = canWriteNotes && kind === 'note';

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (post.isPending) return;
    setFailure(null);
    if (!body.trim()) {
      setError('Write something first.');
      return;
    }
    if (body.length > BODY_MAX_LENGTH) {
      setError(`At most ${BODY_MAX_LENGTH.toLocaleString('en')} characters.`);
      return;
    }
    setError(null);
    post.mutate(
      { ticketId: ticket.id, data: { body, internal: note } },
      {
        onSuccess: () => setBody(''),
        onError: (err) => {
          const fieldError = err instanceof ApiError ? err.fields.body?.[0] : undefined;
          if (fieldError) setError(fieldError);
          else setFailure(err.message);
        },
      },
    );
  };

  const label = note ? 'Internal note' : 'Reply';
  return (
    <form className={note ? 'reply reply--note' : 'reply'} onSubmit={onSubmit} noValidate aria-label="Write a message">
      {canWriteNotes ? (
        <fieldset className="reply__kind">
          <legend className="visually-hidden">Message type</legend>
          {(
            [
              ['reply', 'Reply', 'the requester sees it'],
              ['note', 'Internal note', 'agents only'],
            ] as const
          ).map(([value, text, hint]) => (
            <label key={value} className={kind === value ? 'reply__option reply__option--on' : 'reply__option'}>
              <input
                type="radio"
                name={`${groupId}-kind`}
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
              />
              {text} <span className="muted">({hint})</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <TextAreaField
        label={label}
        name="body"
        rows={4}
        value={body}
        error={error ?? undefined}
        hint={note ? 'Only agents see internal notes; the requester never does.' : undefined}
        onChange={(e) => setBody(e.target.value)}
      />
      {failure ? (
        <p className="notice notice--error" role="alert">
          Could not send: {failure}
        </p>
      ) : null}
      <div className="detail__actions">
        <button type="submit" className="button button--primary" aria-disabled={post.isPending}>
          {post.isPending ? 'Sending…' : note ? 'Add internal note' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}

type Props = {
  ticket: Ticket;
  /** Agents: the Reply / Internal note switch. Requesters never get it (nor see notes). */
  canWriteNotes: boolean;
};

/**
 * A ticket's conversation: the description as the opening message, then every message oldest
 * first (the event stream keeps it live), and a box to reply. A closed ticket takes no more
 * messages.
 */
export function Thread({ ticket, canWriteNotes }: Props) {
  const messages = useMessages(ticket.id);
  const emails = useTicketEmails(ticket.id);
  const headingId = useId();
  const items = messages.data?.pages.flatMap((page) => page.messages) ?? [];
  // The email each message came in as or went out as (bounce reports are shown as their note).
  const emailFor = new Map<number, TicketEmail>();
  for (const email of emails.data ?? []) {
    if (email.message !== null && email.kind !== 'bounce') emailFor.set(email.message, email);
  }
  const requestEmail = emails.data?.find((email) => email.kind === 'request');
  const closed = ticket.status === 'closed';

  return (
    <section className="thread" aria-labelledby={headingId}>
      <h3 id={headingId} className="detail__subtitle">
        Conversation
      </h3>
      <ol className="thread__messages" aria-busy={messages.isPending}>
        <OpeningMessage ticket={ticket} email={requestEmail} />
        {items.map((message) => (
          <MessageItem key={message.id} message={message} email={emailFor.get(message.id)} />
        ))}
      </ol>
      {messages.isPending ? (
        <p className="muted" role="status">
          Loading the conversation…
        </p>
      ) : messages.isError && items.length === 0 ? (
        <div className="notice notice--error" role="alert">
          Could not load the conversation. {messages.error.message}{' '}
          <button type="button" className="button button--link" onClick={() => void messages.refetch()}>
            Try again
          </button>
        </div>
      ) : items.length === 0 ? (
        <p className="muted">No replies yet.</p>
      ) : null}
      {messages.hasNextPage ? (
        <button
          type="button"
          className="button"
          aria-disabled={messages.isFetchingNextPage}
          onClick={() => {
            if (!messages.isFetchingNextPage) void messages.fetchNextPage();
          }}
        >
          {messages.isFetchingNextPage ? 'Loading…' : 'Load later messages'}
        </button>
      ) : null}
      {closed ? (
        // The requester's view says so itself, with what to do instead.
        canWriteNotes ? (
          <p className="muted detail__note">
            This ticket is closed and takes no more messages. Set its status to reopen it.
          </p>
        ) : null
      ) : (
        <ReplyBox ticket={ticket} canWriteNotes={canWriteNotes} />
      )}
    </section>
  );
}
