import type { Category, Priority, Status } from '@/types/models';

// Typed by the API's enums: a value the backend adds or drops fails `tsc` here.
export const CATEGORY_LABELS: Record<Category, string> = {
  billing: 'Billing',
  technical: 'Technical',
  account: 'Account',
  general: 'General',
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

export const STATUS_LABELS: Record<Status, string> = {
  open: 'Open',
  in_progress: 'In progress',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** A label map's keys in the order written above, which is the order the app lists them in. */
function keysOf<K extends string>(labels: Record<K, string>): readonly K[] {
  return Object.keys(labels) as K[];
}

export const CATEGORIES = keysOf(CATEGORY_LABELS);
export const PRIORITIES = keysOf(PRIORITY_LABELS);
export const STATUSES = keysOf(STATUS_LABELS);

/** The choices of a select, in the label map's order. */
function optionsOf<K extends string>(labels: Record<K, string>): readonly { value: K; label: string }[] {
  return keysOf(labels).map((value) => ({ value, label: labels[value] }));
}

export const CATEGORY_OPTIONS = optionsOf(CATEGORY_LABELS);
export const PRIORITY_OPTIONS = optionsOf(PRIORITY_LABELS);
export const STATUS_OPTIONS = optionsOf(STATUS_LABELS);
