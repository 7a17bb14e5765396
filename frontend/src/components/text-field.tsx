import { useId, type InputHTMLAttributes, type ReactNode, type Ref, type TextareaHTMLAttributes } from 'react';

type FieldProps = {
  label: string;
  /** Shown under the control and named by its `aria-describedby`; marks the control invalid. */
  error?: string;
  /** A hint under the control, also named by its `aria-describedby`. */
  hint?: string;
  id?: string;
};

/** The label, hint and error around a control, and the attributes that tie them to it. */
function useField({ label, error, hint, id }: FieldProps) {
  const generatedId = useId();
  const controlId = id ?? generatedId;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const aria = {
    id: controlId,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
  };
  const frame = (control: ReactNode) => (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      {control}
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
  return { aria, frame };
}

type TextFieldProps = FieldProps &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'children'> & { ref?: Ref<HTMLInputElement> };

/** An `<input>` with the `<label>` that names it, its hint and its error; other attributes go to the input. */
export function TextField({ label, error, hint, id, ...input }: TextFieldProps) {
  const { aria, frame } = useField({ label, error, hint, id });
  return frame(<input type="text" {...input} {...aria} />);
}

type TextAreaFieldProps = FieldProps &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'children'> & { ref?: Ref<HTMLTextAreaElement> };

/** A `<textarea>` with the `<label>` that names it, its hint and its error. */
export function TextAreaField({ label, error, hint, id, ...textarea }: TextAreaFieldProps) {
  const { aria, frame } = useField({ label, error, hint, id });
  return frame(<textarea {...textarea} {...aria} />);
}
