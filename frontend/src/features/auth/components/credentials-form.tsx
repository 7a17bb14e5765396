import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { TextField } from '@/components/text-field';
import { formProblem, type FormProblem } from './auth-errors';

export type CredentialField<F extends string> = {
  name: F;
  label: string;
  type?: 'text' | 'email' | 'password';
  autoComplete: string;
  /** What to say when it is left empty. */
  required: string;
};

type Props<F extends string> = {
  title: string;
  intro?: string;
  fields: readonly CredentialField<F>[];
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** Sends the values (passwords as typed, the rest trimmed); rejects with the ApiError. */
  onSubmit: (values: Record<F, string>) => Promise<unknown>;
  /** Under the form, such as the link to the other form. */
  footer?: ReactNode;
};

/**
 * A sign-in or sign-up form: labelled fields, the first one focused, empty fields caught before
 * sending, the server's field errors next to their fields, and anything else announced above
 * the button (role=alert). On an error, focus moves to the first field it names.
 */
export function CredentialsForm<F extends string>({
  title,
  intro,
  fields,
  submitLabel,
  pendingLabel,
  pending,
  onSubmit,
  footer,
}: Props<F>) {
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(() => Object.fromEntries(fields.map((f) => [f.name, ''])) as Record<F, string>);
  const [problem, setProblem] = useState<FormProblem<F> | null>(null);
  const headingId = useId();

  const focusField = (name: F | undefined) => {
    if (name) formRef.current?.querySelector<HTMLElement>(`[name="${name}"]`)?.focus();
  };

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input')?.focus();
  }, []);

  const show = (found: FormProblem<F> | null) => {
    setProblem(found);
    if (found) focusField(fields.find((f) => found.fields[f.name])?.name);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const empty = fields.filter((f) => !values[f.name].trim());
    if (empty.length) {
      show({
        message: 'Please fix the highlighted fields.',
        fields: Object.fromEntries(empty.map((f) => [f.name, f.required])) as Partial<Record<F, string>>,
      });
      return;
    }
    show(null);
    const sent = Object.fromEntries(
      fields.map((f) => [f.name, f.type === 'password' ? values[f.name] : values[f.name].trim()]),
    ) as Record<F, string>;
    try {
      await onSubmit(sent);
    } catch (error) {
      show(formProblem(error, fields.map((f) => f.name)));
    }
  };

  return (
    <form ref={formRef} className="auth-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId} className="section-title">
        {title}
      </h2>
      {intro ? <p className="muted auth-form__intro">{intro}</p> : null}
      {fields.map((field) => (
        <TextField
          key={field.name}
          label={field.label}
          name={field.name}
          type={field.type ?? 'text'}
          autoComplete={field.autoComplete}
          value={values[field.name]}
          error={problem?.fields[field.name]}
          onChange={(event) => setValues((old) => ({ ...old, [field.name]: event.target.value }))}
        />
      ))}
      <div role="alert">{problem?.message ? <p className="notice notice--error">{problem.message}</p> : null}</div>
      <div className="auth-form__actions">
        <button type="submit" className="button button--primary" aria-disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
      </div>
      {footer}
    </form>
  );
}
