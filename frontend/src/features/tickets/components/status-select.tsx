import { SelectField } from '@/components/select-field';
import { STATUS_OPTIONS } from '@/lib/labels';
import type { Status } from '@/types/models';

type Props = {
  value: Status;
  onChange: (status: Status) => void;
  className?: string;
};

/** The labelled "Status" control used in the list and in a ticket's detail. */
export function StatusSelect({ value, onChange, className }: Props) {
  return (
    <SelectField
      compact
      fieldClassName={className}
      className={`status-select status-select--${value}`}
      label="Status"
      value={value}
      options={STATUS_OPTIONS}
      onChange={onChange}
    />
  );
}
