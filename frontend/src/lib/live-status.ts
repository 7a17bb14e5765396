import { useSyncExternalStore } from 'react';

/**
 * Whether the server-sent events stream is delivering changes. While it is not, queries that show
 * shared data poll instead, so the screen never silently goes stale.
 */
type LiveStatus = 'connecting' | 'live' | 'polling';

const POLL_INTERVAL_MS = 5_000;

let status: LiveStatus = 'connecting';
const listeners = new Set<() => void>();

export function setLiveStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  listeners.forEach((listener) => listener());
}

export function getLiveStatus(): LiveStatus {
  return status;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLiveStatus(): LiveStatus {
  return useSyncExternalStore(subscribe, getLiveStatus, getLiveStatus);
}

/** The refetch interval for live data: none while the stream works, a short poll otherwise. */
export function usePollInterval(): number | false {
  return useLiveStatus() === 'live' ? false : POLL_INTERVAL_MS;
}
