import { setLiveStatus } from './live-status';

type StreamHandlers = Record<string, (data: unknown) => void>;

type Options = {
  url?: string;
  /** First wait before trying the stream again after it failed; doubles per failure in a row. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
};

/**
 * Subscribes to the server's event stream and calls `handlers[eventName]` with each event's parsed
 * JSON data. When the stream is unavailable (unsupported, endpoint missing, connection dropped) the
 * live status switches to polling and the stream is retried later, resuming after the last event
 * seen (`?last_event_id=`) so the server replays what happened meanwhile, or answers `resync`.
 * Returns an unsubscribe function.
 */
export function subscribeToEvents(handlers: StreamHandlers, options: Options = {}): () => void {
  const url = options.url ?? '/api/events/';
  const firstDelayMs = options.reconnectDelayMs ?? 2_000;
  const maxDelayMs = options.maxReconnectDelayMs ?? 5 * 60_000;
  let failures = 0;
  let source: EventSource | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  let lastEventId = '';

  const connect = () => {
    if (stopped) return;
    if (typeof EventSource === 'undefined') {
      setLiveStatus('polling');
      return;
    }
    setLiveStatus('connecting');
    // A fresh EventSource does not send Last-Event-ID by itself: say where to resume.
    const resume = lastEventId
      ? `${url}${url.includes('?') ? '&' : '?'}last_event_id=${encodeURIComponent(lastEventId)}`
      : url;
    source = new EventSource(resume);
    source.onopen = () => {
      failures = 0;
      setLiveStatus('live');
    };
    source.onerror = () => {
      // The browser's own reconnect loop hides a missing endpoint behind endless retries; poll
      // instead and try the stream again on our own, backing-off schedule.
      source?.close();
      source = null;
      setLiveStatus('polling');
      const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** failures);
      failures += 1;
      retryTimer = setTimeout(connect, delay);
    };
    for (const [eventName, handle] of Object.entries(handlers)) {
      source.addEventListener(eventName, (event) => {
        const message = event as MessageEvent<string>;
        if (message.lastEventId) lastEventId = message.lastEventId;
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        handle(data);
      });
    }
  };

  connect();

  return () => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    source?.close();
    source = null;
  };
}
