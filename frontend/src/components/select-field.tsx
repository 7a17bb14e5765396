import { useId, type ReactNode, type SelectHTMLAttributes } from 'react';

export type SelectOption<V extends string> = { value: V; label: string; disabled?: boolean };

type Props<V extends string> = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'children'> & {
  label: string;
  value: V;
  options: readonly SelectOption<V>[];
  /** The text of a first option whose value is '' ("All categories", "Let AI decide"); V must then allow ''. */
  emptyOption?: string;
  onChange: (value: V) => void;
  /** The small variant used in toolbars and lists. */
  compact?: boolean;
  fieldClassName?: string;
  /** Hints and errors under the select; give them ids and name those in `aria-describedby`. */
  children?: ReactNode;
};

/**
 * A `<select>` and the `<label>` that names it, in the app's field layout. Other select
 * attributes (name, disabled, aria-*, className, id) go to the select; without an id it gets one.
 */
export function SelectField<V extends string>({
  label,
  value,
  options,
  emptyOption,
  onChange,
  compact = false,
  fieldClassName,
  children,
  id,
  ...selectProps
}: Props<V>) {
  const generatedId = useId();
  const selectId = id ?? generatedId;
  const classes = ['field', compact ? 'field--compact' : null, fieldClassName].filter(Boolean).join(' ');
  return (
    <div className={classes}>
      <label htmlFor={selectId}>{label}</label>
      <select
        {...selectProps}
        id={selectId}
        value={value}
        // The options are exactly the values of V (and '' with emptyOption).
        onChange={(event) => onChange(event.target.value as V)}
      >
        {emptyOption !== undefined ? <option value="">{emptyOption}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
      {children}
    </div>
  );
}
