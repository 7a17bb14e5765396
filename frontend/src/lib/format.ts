const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "5 minutes ago", "yesterday"; "just now" under a minute. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  if (Number.isNaN(seconds)) return '';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : absolute.format(date);
}

export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return '—';
  return `${Math.round(fraction * 100)}%`;
}

/**
 * A model's confidence as a percentage. A model is never certain, so a probability that rounds
 * to 100% reads ">99%" (and one that rounds to 0% reads "<1%") instead of claiming certainty.
 */
export function formatConfidence(fraction: number): string {
  if (fraction < 1 && fraction >= 0.995) return '>99%';
  if (fraction > 0 && fraction < 0.005) return '<1%';
  return formatPercent(fraction);
}

/** Turns a provider id such as "local_model" into "local model". */
export function formatProvider(provider: string): string {
  return provider.replace(/[_-]+/g, ' ').trim();
}

const CHANGE_SOURCES: Record<string, string> = {
  api: 'by a person',
  triage: 'by AI triage',
  system: 'by the system',
  requester_reply: 'by the requester’s reply',
};

/** Who made a change in a ticket's history, in words; unknown sources are shown as sent. */
export function formatChangeSource(source: string): string {
  return CHANGE_SOURCES[source] ?? formatProvider(source);
}

/** "Ada Lovelace" -> "AL": who has a ticket, at a glance (the full name is its label). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return words.length === 0 ? '?' : words.slice(0, 2).map((w) => w.charAt(0).toUpperCase()).join('');
}
