import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { server } from '@/testing/server';
import { renderWithProviders } from '@/testing/test-utils';
import type { Stats } from '@/types/models';
import { Dashboard } from './dashboard';

const base: Stats = {
  total_tickets: 1234,
  open_tickets: 56,
  avg_tickets_per_day: 7.25,
  priority_breakdown: { low: 1, medium: 2, high: 3, critical: 4 },
  category_breakdown: { billing: 5, technical: 6, account: 7, general: 8 },
  status_breakdown: { open: 56, in_progress: 3, resolved: 2, closed: 1 },
  acceptance: {
    rate: null,
    reviewed: 0,
    by_category: { billing: null, technical: null, account: null, general: null },
  },
  sla: {
    at_risk: 3,
    breached: 2,
    window_days: 30,
    attainment: {
      low: { first_response: null, resolution: null },
      medium: { first_response: 0.5, resolution: 1 },
      high: { first_response: 0.875, resolution: null },
      critical: { first_response: 1, resolution: 0.25 },
    },
  },
};

function serve(stats: Stats) {
  server.use(http.get('/api/tickets/stats/', () => HttpResponse.json(stats)));
}

describe('Dashboard', () => {
  it('shows the figures under their labels and the breakdowns', async () => {
    serve(base);
    renderWithProviders(<Dashboard />);
    await screen.findByText('1,234');
    expect(screen.getByLabelText('Total tickets')).toHaveTextContent('1,234');
    expect(screen.getByLabelText('Open tickets')).toHaveTextContent('56');
    expect(screen.getByLabelText('Avg per day')).toHaveTextContent('7.3');
    const priority = screen.getByRole('figure', { name: 'By priority' });
    expect(within(priority).getByText('Critical').closest('li')).toHaveTextContent(/Critical4/);
    expect(screen.getByRole('figure', { name: 'By category' })).toBeInTheDocument();
    const status = screen.getByRole('figure', { name: 'By status' });
    expect(within(status).getByText('In progress').closest('li')).toHaveTextContent(/In progress3/);
  });

  it('shows the acceptance rate, overall and by category', async () => {
    serve({
      ...base,
      acceptance: { rate: 0.815, reviewed: 40, by_category: { ...base.acceptance.by_category, billing: 0.9 } },
    });
    renderWithProviders(<Dashboard />);
    expect(await screen.findByLabelText('AI suggestions kept')).toHaveTextContent('82%');
    expect(screen.getByText('of 40 reviewed')).toBeInTheDocument();
    expect(screen.getByText('AI suggestions kept, by category')).toBeInTheDocument();
    expect(screen.getByText('90%')).toBeInTheDocument();
  });

  it('hides the acceptance rate while nothing has been reviewed', async () => {
    serve(base);
    renderWithProviders(<Dashboard />);
    await screen.findByText('1,234');
    expect(screen.queryByLabelText('AI suggestions kept')).not.toBeInTheDocument();
    expect(screen.queryByText('AI suggestions kept, by category')).not.toBeInTheDocument();
  });

  it('explains when statistics cannot be loaded', async () => {
    server.use(
      http.get('/api/tickets/stats/', () =>
        HttpResponse.json({ error: { status: 500, code: 'x', message: 'Down.' } }, { status: 500 }),
      ),
    );
    renderWithProviders(<Dashboard />);
    expect(await screen.findByText(/Could not load the statistics\. Down\./)).toBeInTheDocument();
  });
});

describe('Dashboard service levels', () => {
  it('shows at-risk and breached counts and attainment per priority', async () => {
    serve(base);
    renderWithProviders(<Dashboard />);
    const section = await screen.findByRole('region', { name: 'Service levels' });
    expect(within(section).getByText('At risk').nextElementSibling).toHaveTextContent('3');
    expect(within(section).getByText('Breached').nextElementSibling).toHaveTextContent('2');
    const critical = within(section).getByRole('row', { name: /Critical/ });
    expect(within(critical).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['100%', '25%']);
    const low = within(section).getByRole('row', { name: /Low/ });
    expect(within(low).getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['—', '—']);
  });
});
