import { AxiosError, AxiosHeaders } from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseNextLink, toApiError } from './api-client';
import { formatChangeSource, formatConfidence } from './format';
import { subscribeToEvents } from './event-stream';
import { getLiveStatus, setLiveStatus } from './live-status';
import { uuid4 } from './uuid';

describe('parseNextLink', () => {
  it('keeps the path and query of the next link only', () => {
    expect(
      parseNextLink('<http://backend:8000/api/tickets/?cursor=abc&limit=20>; rel="next"'),
    ).toBe('/api/tickets/?cursor=abc&limit=20');
    expect(parseNextLink('</api/tickets/?cursor=p>; rel="prev", </api/tickets/?cursor=n>; rel=next')).toBe(
      '/api/tickets/?cursor=n',
    );
    expect(parseNextLink('</api/tickets/?cursor=p>; rel="prev"')).toBeNull();
    expect(parseNextLink(undefined)).toBeNull();
  });
});

describe('toApiError', () => {
  const config = { headers: new AxiosHeaders() };

  it('reads the API error shape and Retry-After', () => {
    const error = new AxiosError('x', 'ERR_BAD_REQUEST', config, null, {
      status: 429,
      statusText: '',
      headers: { 'retry-after': '12' },
      config,
      data: { error: { status: 429, code: 'throttled', message: 'Slow down.' } },
    });
    const apiError = toApiError(error);
    expect(apiError).toMatchObject({ status: 429, code: 'throttled', message: 'Slow down.', retryAfterSeconds: 12 });
  });

  it('describes a lost connection and a non-JSON error', () => {
    expect(toApiError(new AxiosError('Network Error', 'ERR_NETWORK', config)).isNetworkError).toBe(true);
    const html = new AxiosError('x', 'ERR_BAD_RESPONSE', config, null, {
      status: 502,
      statusText: '',
      headers: {},
      config,
      data: '<html>',
    });
    expect(toApiError(html).message).toMatch(/502/);
  });
});

describe('uuid4', () => {
  it('makes distinct v4 UUIDs, also without crypto.randomUUID', () => {
    expect(uuid4()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const a = uuid4();
      expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(uuid4()).not.toBe(a);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});

class FakeEventSource {
  static instances: FakeEventSource[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  listeners = new Map<string, (event: MessageEvent) => void>();
  constructor(public url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(name: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(name, listener);
  }
  close() {
    this.closed = true;
  }
  emit(name: string, data: string, lastEventId = '') {
    this.listeners.get(name)?.(new MessageEvent(name, { data, lastEventId }));
  }
}

describe('subscribeToEvents', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    FakeEventSource.instances = [];
    setLiveStatus('connecting');
  });

  it('delivers parsed events while live, and polls then reconnects after an error', () => {
    vi.useFakeTimers();
    vi.stubGlobal('EventSource', FakeEventSource);
    const onCreated = vi.fn();
    const stop = subscribeToEvents(
      { 'ticket.created': onCreated },
      { reconnectDelayMs: 1000, maxReconnectDelayMs: 3000 },
    );
    const source = FakeEventSource.instances[0];
    expect(source.url).toBe('/api/events/');
    expect(getLiveStatus()).toBe('connecting');
    source.onopen?.();
    expect(getLiveStatus()).toBe('live');
    source.emit('ticket.created', '{"id": 7}');
    source.emit('ticket.created', 'not json');
    expect(onCreated).toHaveBeenCalledTimes(1);
    expect(onCreated).toHaveBeenCalledWith({ id: 7 });

    source.onerror?.();
    expect(source.closed).toBe(true);
    expect(getLiveStatus()).toBe('polling');
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.instances).toHaveLength(2);

    // Failures in a row wait longer each time, up to the cap.
    FakeEventSource.instances[1].onerror?.();
    vi.advanceTimersByTime(1999);
    expect(FakeEventSource.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeEventSource.instances).toHaveLength(3);
    FakeEventSource.instances[2].onerror?.();
    vi.advanceTimersByTime(3000);
    expect(FakeEventSource.instances).toHaveLength(4);

    stop();
    expect(FakeEventSource.instances[3].closed).toBe(true);
  });

  it('resumes after the last event it saw when it reconnects', () => {
    vi.useFakeTimers();
    vi.stubGlobal('EventSource', FakeEventSource);
    const stop = subscribeToEvents({ 'ticket.updated': () => {}, stats: () => {} }, { reconnectDelayMs: 1000 });
    const first = FakeEventSource.instances[0];
    first.onopen?.();
    first.emit('ticket.updated', '{"id": 3}', '1764203000000001');
    first.emit('stats', '{"total_tickets": 3}');
    first.onerror?.();
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.instances[1].url).toBe('/api/events/?last_event_id=1764203000000001');
    stop();
  });

  it('polls where EventSource does not exist', () => {
    vi.stubGlobal('EventSource', undefined);
    const stop = subscribeToEvents({});
    expect(getLiveStatus()).toBe('polling');
    stop();
  });
});

describe('formatChangeSource', () => {
  it('names the known sources of a change in words and shows others as sent', () => {
    expect(formatChangeSource('api')).toBe('by a person');
    expect(formatChangeSource('triage')).toBe('by AI triage');
    expect(formatChangeSource('system')).toBe('by the system');
    expect(formatChangeSource('bulk_import')).toBe('bulk import');
  });
});

describe('formatConfidence', () => {
  it('never claims certainty that a model does not have', () => {
    expect(formatConfidence(0.997)).toBe('>99%');
    expect(formatConfidence(0.003)).toBe('<1%');
    expect(formatConfidence(0.58)).toBe('58%');
    expect(formatConfidence(1)).toBe('100%');
    expect(formatConfidence(0)).toBe('0%');
  });
});
