import { screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { makeTicket } from '@/testing/data';
import { db } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderWithProviders } from '@/testing/test-utils';
import { TicketDetail } from './ticket-detail';

describe('TicketDetail', () => {
  it('shows the ticket, its triage and lets labels be changed', async () => {
    db.tickets.push(
      makeTicket({
        title: 'Printer on fire',
        description: 'Line one\nLine two',
        category: 'technical',
        suggested_category: 'technical',
        suggested_priority: 'high',
        triage_provider: 'local_model',
        triage_confidence: 0.87,
      }),
    );
    const { user } = renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog', { name: 'Printer on fire' });
    expect(dialog).toBeInTheDocument();
    expect(screen.getByText(/Suggested Technical · High \(local model, 87% confident\)/)).toBeInTheDocument();
    expect(screen.getByText(/Both labels left to triage\./)).toBeInTheDocument();
    expect(screen.getByLabelText('Status')).toHaveValue('open');

    await user.selectOptions(screen.getByLabelText('Priority'), 'critical');
    expect(screen.getByLabelText('Priority')).toHaveValue('critical');
    // The optimistic change lands after the query cancellation it awaits: a tick, not at once.
    expect(await screen.findByText(/Category left to triage, priority changed by a person\./)).toBeInTheDocument();
    await waitFor(() => expect(db.tickets[0].priority).toBe('critical'));
    expect(db.requests.find((r) => r.method === 'PATCH')?.body).toEqual({ priority: 'critical' });
  });

  it('tells confirmed suggestions from changed labels', async () => {
    db.tickets.push(
      makeTicket({
        title: 'Refund twice',
        category: 'billing',
        priority: 'high',
        suggested_category: 'billing',
        suggested_priority: 'medium',
        category_by_human: true,
        priority_by_human: true,
      }),
    );
    renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    await screen.findByRole('dialog', { name: 'Refund twice' });
    expect(screen.getByText(/Category confirmed by a person, priority changed by a person\./)).toBeInTheDocument();
  });

  it('hides the history while the endpoint is missing and shows it once it answers', async () => {
    db.tickets.push(makeTicket({ title: 'With history' }));
    const first = renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    await screen.findByRole('dialog', { name: 'With history' });
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'History' })).not.toBeInTheDocument());
    first.unmount();

    server.use(
      http.get('/api/tickets/:id/history/', () =>
        HttpResponse.json([
          { at: '2025-01-01T10:00:00Z', field: 'status', old: 'open', new: 'in_progress', source: 'agent' },
        ]),
      ),
    );
    renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    expect(await screen.findByRole('heading', { name: 'History' })).toBeInTheDocument();
    expect(screen.getByText('Status: Open → In progress')).toBeInTheDocument();
  });

  it('rolls back and explains a refused change', async () => {
    db.tickets.push(makeTicket({ title: 'Refused' }));
    server.use(
      http.patch('/api/tickets/:id/', () =>
        HttpResponse.json({ error: { status: 400, code: 'invalid', message: 'Nope.' } }, { status: 400 }),
      ),
    );
    const { user } = renderWithProviders(<TicketDetail id={1} onClose={() => {}} />);
    await screen.findByRole('dialog', { name: 'Refused' });
    await user.selectOptions(screen.getByLabelText('Status'), 'closed');
    expect(await screen.findByText(/Could not save: Nope\. The change was undone\./)).toBeInTheDocument();
    expect(screen.getByLabelText('Status')).toHaveValue('open');
  });

  it('reports an unknown ticket and closes on request', async () => {
    const onClose = vi.fn();
    const { user } = renderWithProviders(<TicketDetail id={42} onClose={onClose} />);
    expect(await screen.findByText(/Could not load ticket #42/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalled();
  });
});
