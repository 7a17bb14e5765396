import { useId } from 'react';
import { STATUSES, STATUS_LABELS } from '@/lib/labels';
import type { Status } from '@/types/models';

type Props = {
  value: Status;
  onChange: (status: Status) => void;
  className?: string;
};

/** The labelled "Status" control used in the list and in a ticket's detail. */
export function StatusSelect({ value, onChange, className }: Props) {
  const id = useId();
  return (
    <div className={`field field--compact ${className ?? ''}`}>
      <label htmlFor={id}>Status</label>
      <select
        id={id}
        value={value}
        className={`status-select status-select--${value}`}
        onChange={(event) => onChange(event.target.value as Status)}
      >
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {STATUS_LABELS[status]}
          </option>
        ))}
      </select>
    </div>
  );
}
