import { CATEGORY_LABELS, PRIORITY_LABELS, STATUS_LABELS } from '@/lib/labels';
import type { Category, Priority, Status } from '@/types/models';

export function CategoryBadge({ category }: { category: Category }) {
  return <span className={`badge badge--category-${category}`}>{CATEGORY_LABELS[category]}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <span className={`badge badge--priority-${priority}`}>
      <span className="visually-hidden">Priority: </span>
      {PRIORITY_LABELS[priority]}
    </span>
  );
}

/** A status as text, where the viewer cannot change it (a requester's own requests). */
export function StatusBadge({ status }: { status: Status }) {
  return (
    <span className={`badge badge--status-${status}`}>
      <span className="visually-hidden">Status: </span>
      {STATUS_LABELS[status]}
    </span>
  );
}
