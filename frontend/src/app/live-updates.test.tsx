import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dashboard } from '@/features/dashboard/components/dashboard';
import { TriageModelPanel } from '@/features/dashboard/components/triage-model-panel';
import { TicketDetail } from '@/features/tickets/components/ticket-detail';
import { TicketList } from '@/features/tickets/components/ticket-list';
import { setLiveStatus } from '@/lib/live-status';
import { makeTicket, makeTriageStatus } from '@/testing/data';
import { computeStats, db } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderWithProviders } from '@/testing/test-utils';
import { useLiveUpdates } from './live-updates';

class FakeEventSource {
  static last: FakeEventSource | null = null;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, (event: MessageEvent) => void>();
  constructor(public url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(name: string, listener: (event: MessageEvent) => void) {
    this.listeners.set(name, listener);
  }
  close() {}
  emit(name: string, data: unknown) {
    this.listeners.get(name)?.(new MessageEvent(name, { data: JSON.stringify(data) }));
  }
}

function Desk() {
  useLiveUpdates();
  return (
    <>
      <Dashboard />
      <TriageModelPanel />
      <TicketList />
    </>
  );
}

describe('live updates', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setLiveStatus('connecting');
  });

  it('refreshes the list on ticket events and takes stats from the stream', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    db.tickets.push(makeTicket({ title: 'First' }));
    renderWithProviders(<Desk />);
    await screen.findByText('First');
    FakeEventSource.last!.onopen?.();

    const second = makeTicket({ title: 'From another browser', created_at: new Date().toISOString() });
    db.tickets.push(second);
    FakeEventSource.last!.emit('ticket.created', second);
    expect(await screen.findByText('From another browser')).toBeInTheDocument();

    FakeEventSource.last!.emit('stats', { ...computeStats(db.tickets), total_tickets: 99 });
    await waitFor(() => expect(screen.getByLabelText('Total tickets')).toHaveTextContent('99'));
  });

  it('reloads the tickets when the server asks for a resync', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    db.tickets.push(makeTicket({ title: 'Before' }));
    renderWithProviders(<Desk />);
    await screen.findByText('Before');
    FakeEventSource.last!.onopen?.();

    // Changed while this page could not hear about it: no ticket event will come.
    db.tickets.push(makeTicket({ title: 'Missed', created_at: new Date().toISOString() }));
    FakeEventSource.last!.emit('resync', { reason: 'too many changes' });
    expect(await screen.findByText('Missed')).toBeInTheDocument();
  });

  it('refreshes the triage model status on ticket events', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    server.use(
      http.get('/api/triage/status/', () =>
        HttpResponse.json(
          makeTriageStatus({
            learning: {
              labels_since_training: db.tickets.filter((t) => t.category_by_human).length,
              retrain_every: 50,
              retrain_queued: false,
              last_trained_at: null,
            },
          }),
        ),
      ),
    );
    renderWithProviders(<Desk />);
    await waitFor(() =>
      expect(screen.getByLabelText('Learning')).toHaveTextContent('0 of 50 labels collected toward the next retrain'),
    );
    FakeEventSource.last!.onopen?.();

    const labelled = makeTicket({ title: 'Labelled elsewhere', category_by_human: true });
    db.tickets.push(labelled);
    FakeEventSource.last!.emit('ticket.created', labelled);
    await waitFor(() =>
      expect(screen.getByLabelText('Learning')).toHaveTextContent('1 of 50 labels collected toward the next retrain'),
    );
  });

  it('reloads an open ticket’s conversation on message.created, without a page reload', async () => {
    vi.stubGlobal('EventSource', FakeEventSource);
    db.tickets.push(makeTicket({ title: 'Talking' }));
    function Open() {
      useLiveUpdates();
      return <TicketDetail id={1} onClose={() => {}} />;
    }
    renderWithProviders(<Open />);
    await screen.findByText('No replies yet.');
    FakeEventSource.last!.onopen?.();

    const reply = {
      id: 1,
      ticket: 1,
      author: { id: 5, name: 'Sam Support' },
      author_role: 'agent' as const,
      body: 'Written in another browser',
      internal: false,
      via: 'web' as const,
      created_at: new Date().toISOString(),
    };
    db.messages.push(reply);
    FakeEventSource.last!.emit('message.created', reply);
    expect(await screen.findByText('Written in another browser')).toBeInTheDocument();
  });
});
