import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeTicket } from '@/testing/data';
import { SlaBadge } from './ticket-badges';

const open = { due_at: null, met_at: null, breached: false };

describe('SlaBadge', () => {
  it('names the missed targets of a breached ticket', () => {
    const ticket = makeTicket({
      sla: {
        first_response: { due_at: '2025-01-01T10:00:00Z', met_at: null, breached: true },
        resolution: { due_at: '2025-01-02T10:00:00Z', met_at: null, breached: false },
      },
    });
    render(<SlaBadge ticket={ticket} />);
    expect(screen.getByText('SLA breached')).toHaveTextContent('SLA breached (first response)');
  });

  it('shows the soonest running target as a time', () => {
    const ticket = makeTicket({
      sla: {
        first_response: { due_at: '2099-01-01T10:00:00Z', met_at: '2098-12-31T10:00:00Z', breached: false },
        resolution: { due_at: '2099-01-02T10:00:00Z', met_at: null, breached: false },
      },
    });
    const { container } = render(<SlaBadge ticket={ticket} />);
    expect(screen.getByText(/Resolution due/)).toBeInTheDocument();
    expect(container.querySelector('time')).toHaveAttribute('dateTime', '2099-01-02T10:00:00Z');
  });

  it('shows nothing without targets or once resolved', () => {
    const { container } = render(<SlaBadge ticket={makeTicket({ sla: { first_response: open, resolution: open } })} />);
    expect(container).toBeEmptyDOMElement();
    const resolved = makeTicket({
      status: 'resolved',
      sla: { first_response: open, resolution: { ...open, due_at: '2099-01-02T10:00:00Z' } },
    });
    const again = render(<SlaBadge ticket={resolved} />);
    expect(again.container).toBeEmptyDOMElement();
  });
});
