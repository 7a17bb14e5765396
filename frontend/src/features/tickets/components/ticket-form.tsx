import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { SelectField } from '@/components/select-field';
import { useDebouncedValue } from '@/hooks/use-debounced-value';
import { ApiError } from '@/lib/api-client';
import { formatConfidence, formatProvider } from '@/lib/format';
import { CATEGORY_LABELS, CATEGORY_OPTIONS, PRIORITY_LABELS, PRIORITY_OPTIONS } from '@/lib/labels';
import type { Category, Classification, Priority, TicketCreate } from '@/types/models';
import { useClassifyTicket, type ClassifyInput } from '../api/classify-ticket';
import { useSubmitTicket } from '../api/create-ticket';

const TITLE_MAX = 200;
/** Pause in typing before asking for suggestions. */
const SUGGEST_DEBOUNCE_MS = 500;
/** After this long a pending suggestion is called slow, so nobody waits for it. */
const SUGGEST_SLOW_MS = 2_500;

type FieldErrors = Partial<Record<'title' | 'description' | 'category' | 'priority', string>>;

function validate(title: string, description: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!title.trim()) errors.title = 'Give the ticket a title.';
  else if (title.length > TITLE_MAX) errors.title = `Keep the title within ${TITLE_MAX} characters.`;
  if (!description.trim()) errors.description = 'Describe the problem.';
  return errors;
}

function suggestionProblem(error: unknown): string {
  if (error instanceof ApiError && error.status === 429) {
    return 'Suggestions are paused for a moment. Choose the labels yourself, or leave them for automatic triage.';
  }
  return 'Suggestions are unavailable right now. Choose the labels yourself, or leave them for automatic triage.';
}

type SuggestionNoteProps = {
  id: string;
  label: string;
  /** Whether the select shows a label ('' is "Let AI decide"). */
  shown: boolean;
  suggested: string | undefined;
  confidence: number | null | undefined;
  provider: string | undefined;
  chosenByPerson: boolean;
};

function SuggestionNote({ id, label, shown, suggested, confidence, provider, chosenByPerson }: SuggestionNoteProps) {
  const own = shown ? 'Your choice.' : `Left empty, the ${label.toLowerCase()} is set by automatic triage.`;
  if (!suggested || !provider) {
    return (
      <p id={id} className="field__hint">
        {own}
      </p>
    );
  }
  const source = `${formatProvider(provider)}${confidence != null ? `, ${formatConfidence(confidence)} confident` : ''}`;
  return (
    <p id={id} className="field__hint field__hint--ai">
      {chosenByPerson ? (
        <>
          {own} AI suggested {suggested} ({source}).
        </>
      ) : (
        <>
          <span className="ai-tag" aria-hidden="true">
            AI
          </span>{' '}
          Suggested by {source}.
        </>
      )}
    </p>
  );
}

/**
 * The new-ticket form. Category and priority are pre-filled from the classifier while the person
 * types; a label the person picked is never replaced by a later suggestion. Submitting confirms the
 * labels the selects show, suggested or picked: they are sent, and the server records them as the
 * person's (what the acceptance rate and retraining count). A select still on "Let AI decide" is
 * not sent, so the server triages that label itself.
 */
export function TicketForm({ onCreated }: { onCreated?: (id: number) => void }) {
  const uid = useId();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  // What the person set a select to ('' is "Let AI decide"); null while it follows suggestions.
  const [categoryChoice, setCategoryChoice] = useState<Category | '' | null>(null);
  const [priorityChoice, setPriorityChoice] = useState<Priority | '' | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<{ id: number; title: string } | null>(null);

  const draft = useMemo(() => ({ title: title.trim(), description: description.trim() }), [title, description]);
  // Suggestions follow the draft after a pause in typing, or at once when a field loses focus.
  const [classifyInput, commitForSuggestion] = useDebouncedValue<ClassifyInput>(draft, SUGGEST_DEBOUNCE_MS);

  const classify = useClassifyTicket(classifyInput);
  const create = useSubmitTicket();

  const [slowFor, setSlowFor] = useState<ClassifyInput | null>(null);
  const classifyFetching = classify.isFetching;
  useEffect(() => {
    if (!classifyFetching) return;
    const timer = setTimeout(() => setSlowFor(classifyInput), SUGGEST_SLOW_MS);
    return () => clearTimeout(timer);
  }, [classifyFetching, classifyInput]);
  const slow = classifyFetching && slowFor === classifyInput;

  // A suggestion for text that has since been cleared is no longer about this ticket.
  const suggestion: Classification | undefined = description.trim() ? classify.data : undefined;
  const category: Category | '' = categoryChoice ?? suggestion?.suggested_category ?? '';
  const priority: Priority | '' = priorityChoice ?? suggestion?.suggested_priority ?? '';

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const found = validate(title, description);
    setErrors(found);
    setCreated(null);
    if (Object.keys(found).length > 0) {
      const first = found.title ? 'title' : 'description';
      document.getElementById(`${uid}-${first}`)?.focus();
      return;
    }
    const data: TicketCreate = { title: title.trim(), description: description.trim() };
    if (category) data.category = category;
    if (priority) data.priority = priority;
    // From here the shown labels are the person's: a suggestion arriving before a retry must not
    // change what the retry sends (nor, with it, the idempotency key), nor what the form shows.
    setCategoryChoice(category);
    setPriorityChoice(priority);
    try {
      const ticket = await create.submit(data);
      setTitle('');
      setDescription('');
      setCategoryChoice(null);
      setPriorityChoice(null);
      setCreated({ id: ticket.id, title: ticket.title });
      create.reset();
      onCreated?.(ticket.id);
    } catch (error) {
      if (error instanceof ApiError) {
        const fieldErrors: FieldErrors = {};
        for (const name of ['title', 'description', 'category', 'priority'] as const) {
          const messages = error.fields[name];
          if (messages?.length) fieldErrors[name] = messages.join(' ');
        }
        setErrors(fieldErrors);
      }
    }
  };

  const fieldProps = (name: keyof FieldErrors, hintId?: string) => {
    const errorId = `${uid}-${name}-error`;
    const describedBy = [hintId, errors[name] ? errorId : undefined].filter(Boolean).join(' ');
    return {
      id: `${uid}-${name}`,
      'aria-invalid': errors[name] ? true : undefined,
      'aria-describedby': describedBy || undefined,
    };
  };

  const fieldError = (name: keyof FieldErrors) =>
    errors[name] ? (
      <p id={`${uid}-${name}-error`} className="field__error">
        {errors[name]}
      </p>
    ) : null;

  let suggestState: string | null = null;
  if (description.trim() && slow) {
    suggestState = 'Suggestions are slow right now. You can submit without waiting.';
  } else if (description.trim() && classify.isFetching) suggestState = 'Suggesting…';
  else if (description.trim() && classify.isError) suggestState = suggestionProblem(classify.error);

  let submitError: string | null = null;
  if (create.error) {
    const hasFieldErrors = create.error instanceof ApiError && Object.keys(create.error.fields).length > 0;
    submitError = hasFieldErrors ? 'Please fix the highlighted fields.' : create.error.message;
  }

  return (
    <form className="ticket-form" onSubmit={onSubmit} noValidate aria-labelledby={`${uid}-heading`}>
      <h2 id={`${uid}-heading`} className="section-title">
        New ticket
      </h2>

      <div className="field">
        <div className="field__label-row">
          <label htmlFor={`${uid}-title`}>Title</label>
          <span id={`${uid}-title-count`} className="field__counter">
            {title.length}/{TITLE_MAX}
          </span>
        </div>
        <input
          {...fieldProps('title', `${uid}-title-count`)}
          type="text"
          name="title"
          value={title}
          maxLength={TITLE_MAX}
          required
          autoComplete="off"
          onChange={(event) => setTitle(event.target.value)}
          onBlur={commitForSuggestion}
        />
        {fieldError('title')}
      </div>

      <div className="field">
        <label htmlFor={`${uid}-description`}>Description</label>
        <textarea
          {...fieldProps('description')}
          name="description"
          rows={5}
          value={description}
          required
          onChange={(event) => setDescription(event.target.value)}
          onBlur={commitForSuggestion}
        />
        {fieldError('description')}
      </div>

      <div className="ticket-form__labels">
        <SelectField
          {...fieldProps('category', `${uid}-category-hint`)}
          label="Category"
          name="category"
          value={category}
          emptyOption="Let AI decide"
          options={CATEGORY_OPTIONS}
          onChange={setCategoryChoice}
        >
          <SuggestionNote
            id={`${uid}-category-hint`}
            label="Category"
            shown={category !== ''}
            suggested={suggestion ? CATEGORY_LABELS[suggestion.suggested_category] : undefined}
            confidence={suggestion?.confidence?.category}
            provider={suggestion?.provider}
            chosenByPerson={categoryChoice !== null}
          />
          {fieldError('category')}
        </SelectField>

        <SelectField
          {...fieldProps('priority', `${uid}-priority-hint`)}
          label="Priority"
          name="priority"
          value={priority}
          emptyOption="Let AI decide"
          options={PRIORITY_OPTIONS}
          onChange={setPriorityChoice}
        >
          <SuggestionNote
            id={`${uid}-priority-hint`}
            label="Priority"
            shown={priority !== ''}
            suggested={suggestion ? PRIORITY_LABELS[suggestion.suggested_priority] : undefined}
            confidence={suggestion?.confidence?.priority}
            provider={suggestion?.provider}
            chosenByPerson={priorityChoice !== null}
          />
          {fieldError('priority')}
        </SelectField>
      </div>

      <p className="ticket-form__suggest-state" role="status" aria-live="polite">
        {suggestState}
      </p>

      <div className="ticket-form__actions">
        <button type="submit" className="button button--primary" aria-disabled={create.isPending}>
          {create.isPending ? 'Submitting…' : 'Submit ticket'}
        </button>
      </div>

      <div role="alert" className="ticket-form__alert">
        {submitError ? <p className="notice notice--error">Could not submit the ticket. {submitError}</p> : null}
      </div>
      <div role="status" aria-live="polite">
        {created ? (
          <p className="notice notice--success">
            Ticket #{created.id} “{created.title}” was created.
          </p>
        ) : null}
      </div>
    </form>
  );
}
