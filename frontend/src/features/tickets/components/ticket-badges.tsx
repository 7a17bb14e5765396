import { CATEGORY_LABELS, PRIORITY_LABELS } from '@/lib/labels';
import type { Category, Priority } from '@/types/models';

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
