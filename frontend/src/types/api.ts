export const CATEGORIES = ['billing', 'technical', 'account', 'general'] as const;
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export const STATUSES = ['open', 'in_progress', 'resolved', 'closed'] as const;

export type Category = (typeof CATEGORIES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Status = (typeof STATUSES)[number];

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

export type Ticket = {
  id: number;
  title: string;
  description: string;
  category: Category;
  priority: Priority;
  status: Status;
  created_at: string;
  updated_at: string;
  suggested_category: Category | null;
  suggested_priority: Priority | null;
  triage_provider: string;
  triage_confidence: number | null;
  category_by_human: boolean;
  priority_by_human: boolean;
};

export type TicketHistoryEntry = {
  at: string;
  field: string;
  old: string | null;
  new: string | null;
  source: string;
};

export type Stats = {
  total_tickets: number;
  open_tickets: number;
  avg_tickets_per_day: number;
  priority_breakdown: Record<Priority, number>;
  category_breakdown: Record<Category, number>;
  status_breakdown?: Record<Status, number>;
  acceptance?: {
    rate: number | null;
    reviewed: number;
    by_category?: Partial<Record<Category, number | null>>;
  };
};

export type Classification = {
  suggested_category: Category;
  suggested_priority: Priority;
  confidence?: { category?: number | null; priority?: number | null };
  provider: string;
  reason?: string;
};

/** GET /api/triage/status/: whether the triage model is learning. */
export type TriageStatus = {
  /** The chain in the order tried; `available`: configured to answer now (the LLM: a key is set). */
  providers: { name: string; available: boolean }[];
  /** The live local model; null before it is first trained. */
  local_model: {
    version: string;
    trained_at: string;
    examples: { seed: number; human: number };
    held_out: { rows: number; category_macro_f1: number; priority_macro_f1: number; priority_qwk: number };
    heads: Record<'category' | 'priority', { version: string; trained_at: string }>;
  } | null;
  learning: {
    labels_since_training: number;
    retrain_every: number;
    retrain_queued: boolean;
    last_trained_at: string | null;
  };
};

export type ApiErrorBody = {
  error: {
    status: number;
    code: string;
    message: string;
    fields?: Record<string, string[]>;
  };
};
