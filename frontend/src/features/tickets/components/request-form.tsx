import { useRef, useState, type FormEvent } from 'react';
import { ApiError } from '@/lib/api-client';
import { useSubmitTicket } from '../api/create-ticket';
import { RequestFields } from './request-fields';
import { requestDraftErrors, requestFieldErrors, type RequestFieldErrors } from './request-validation';

/**
 * A requester's new-request form: a title and a description only. The category and priority are
 * the server's triage (and its agents') to set, so nothing here asks for them or shows them.
 */
export function RequestForm() {
  const formRef = useRef<HTMLFormElement>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<RequestFieldErrors>({});
  const [created, setCreated] = useState<{ id: number; title: string } | null>(null);
  const create = useSubmitTicket();

  const focusFirst = (found: RequestFieldErrors) => {
    const first = found.title ? 'title' : found.description ? 'description' : null;
    if (first) formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const found = requestDraftErrors(title, description);
    setErrors(found);
    setCreated(null);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    try {
      const ticket = await create.submit({ title: title.trim(), description: description.trim() });
      setTitle('');
      setDescription('');
      setCreated({ id: ticket.id, title: ticket.title });
      create.reset();
    } catch (error) {
      const fromServer = requestFieldErrors(error);
      setErrors(fromServer);
      focusFirst(fromServer);
    }
  };

  let submitError: string | null = null;
  if (create.error) {
    submitError =
      create.error instanceof ApiError && Object.keys(create.error.fields).length
        ? 'Please fix the highlighted fields.' : create.error.message;
  }

  return (
    <form ref={formRef} className="ticket-form" onSubmit={onSubmit} noValidate aria-labelledby="new-request-heading">
      <h2 id="new-request-heading" className="section-title">
        New request
      </h2>
      <RequestFields
        hints
        title={title}
        description={description}
        errors={errors}
        onTitleChange={setTitle}
        onDescriptionChange={setDescription}
      />
      <div className="ticket-form__actions">
        <button type="submit" className="button button--primary" aria-disabled={create.isPending}>
          {create.isPending ? 'Sending…' : 'Submit request'}
        </button>
      </div>
      <div role="alert">
        {submitError ? <p className="notice notice--error">Could not send the request. {submitError}</p> : null}
      </div>
      <div role="status" aria-live="polite">
        {created ? (
          <p className="notice notice--success">
            Request #{created.id} “{created.title}” was sent. You can follow it under My requests.
          </p>
        ) : null}
      </div>
    </form>
  );
}
