import { useId, useState, type FormEvent } from 'react';
import { SelectField } from '@/components/select-field';
import { TextField } from '@/components/text-field';
import { ApiError } from '@/lib/api-client';
import { CATEGORY_OPTIONS } from '@/lib/labels';
import type { Assignment, Category, TeamWrite, UserRecord } from '@/types/models';
import { ASSIGNMENT_OPTIONS } from './assignment-labels';

type Field = 'name' | 'categories' | 'members' | 'assignment';
const FIELDS: readonly Field[] = ['name', 'categories', 'members', 'assignment'];

/** The server's 400 messages by field, and what else it said (or a network failure) above them. */
function problemOf(error: unknown): { message: string | null; fields: Partial<Record<Field, string>> } {
  if (!(error instanceof ApiError)) return { message: error ? 'Something went wrong. Try again.' : null, fields: {} };
  const fields: Partial<Record<Field, string>> = {};
  for (const name of FIELDS) {
    const messages = error.fields[name];
    if (messages?.length) fields[name] = messages.join(' ');
  }
  const others = Object.entries(error.fields)
    .filter(([name]) => !FIELDS.includes(name as Field))
    .flatMap(([, messages]) => messages);
  const explained = Object.keys(fields).length > 0;
  return { message: others.length ? others.join(' ') : explained ? null : error.message, fields };
}

type Props = {
  /** The form's heading ("New team", "Edit Billing"). */
  legend: string;
  initial: TeamWrite;
  agents: UserRecord[];
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (data: TeamWrite) => void;
  onCancel?: () => void;
};

function Choices<V extends string | number>({
  legend,
  options,
  chosen,
  error,
  onChange,
}: {
  legend: string;
  options: { value: V; label: string }[];
  chosen: V[];
  error?: string;
  onChange: (chosen: V[]) => void;
}) {
  const errorId = useId();
  return (
    <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
      <legend>{legend}</legend>
      <div className="team-form__choices">
        {options.map((option) => (
          <label key={option.value}>
            <input
              type="checkbox"
              checked={chosen.includes(option.value)}
              onChange={(event) =>
                onChange(
                  event.target.checked ? [...chosen, option.value] : chosen.filter((value) => value !== option.value),
                )
              }
            />{' '}
            {option.label}
          </label>
        ))}
      </div>
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/** A team's name, the categories it handles, its members (agents) and its assignment rule. */
export function TeamForm({ legend, initial, agents, submitLabel, pending, error, onSubmit, onCancel }: Props) {
  const headingId = useId();
  const [name, setName] = useState(initial.name);
  const [categories, setCategories] = useState<Category[]>(initial.categories ?? []);
  const [members, setMembers] = useState<number[]>(initial.members ?? []);
  const [assignment, setAssignment] = useState<Assignment>(initial.assignment ?? 'off');
  const problem = problemOf(error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!pending) onSubmit({ name: name.trim(), categories, members, assignment });
  };

  // Active agents, and whoever is a member already (so unticking them stays possible).
  const agentOptions = agents
    .filter((agent) => agent.is_active || members.includes(agent.id))
    .map((agent) => ({
    value: agent.id,
    label: `${agent.name || agent.email}${agent.available ? '' : ' (away)'}${agent.is_active ? '' : ' (inactive)'}`,
  }));

  return (
    <form className="team-form" aria-labelledby={headingId} onSubmit={submit} noValidate>
      <h3 id={headingId}>{legend}</h3>
      <div role="alert">{problem.message ? <p className="notice notice--error">{problem.message}</p> : null}</div>
      <TextField label="Team name" value={name} required error={problem.fields.name} onChange={(e) => setName(e.target.value)} />
      <Choices
        legend="Categories it handles"
        options={CATEGORY_OPTIONS.map((option) => ({ value: option.value, label: option.label }))}
        chosen={categories}
        error={problem.fields.categories}
        onChange={setCategories}
      />
      {agentOptions.length ? (
        <Choices legend="Members" options={agentOptions} chosen={members} error={problem.fields.members} onChange={setMembers} />
      ) : (
        <p className="muted">No agents yet: add agents first to make them members.</p>
      )}
      <SelectField label="Assignment rule" value={assignment} options={ASSIGNMENT_OPTIONS} onChange={setAssignment}>
        {problem.fields.assignment ? <p className="field__error">{problem.fields.assignment}</p> : null}
      </SelectField>
      <div className="team-form__actions">
        <button type="submit" className="button button--primary" aria-disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button button--ghost" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
