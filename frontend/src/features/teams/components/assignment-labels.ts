import type { SelectOption } from '@/components/select-field';
import type { Assignment } from '@/types/models';

export const ASSIGNMENT_LABELS: Record<Assignment, string> = {
  off: 'Off (the team’s queue only)',
  round_robin: 'Round robin',
  fewest_open: 'Fewest open tickets',
};

export const ASSIGNMENT_OPTIONS: SelectOption<Assignment>[] = (Object.keys(ASSIGNMENT_LABELS) as Assignment[]).map(
  (value) => ({ value, label: ASSIGNMENT_LABELS[value] }),
);

