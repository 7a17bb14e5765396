import { useId, type ReactNode } from 'react';

type Props = {
  label: string;
  value: ReactNode;
  note?: string;
  /** The CSS block: `<block>`, `<block>__label`, `<block>__value`, `<block>__note`. */
  block?: string;
};

/** One term of a `<dl>` and its value, the value named by the term (for screen readers and tests). */
export function Figure({ label, value, note, block = 'figure' }: Props) {
  const id = useId();
  return (
    <div className={block}>
      <dt id={id} className={`${block}__label`}>
        {label}
      </dt>
      <dd aria-labelledby={id} className={`${block}__value`}>
        {value}
      </dd>
      {note ? <dd className={`${block}__note`}>{note}</dd> : null}
    </div>
  );
}
