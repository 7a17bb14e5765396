import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { db } from '@/testing/handlers';
import { renderWithProviders } from '@/testing/test-utils';
import { RequestForm } from './request-form';

describe('RequestForm', () => {
  it('asks for a title and a description only, and sends just those', async () => {
    const { user } = renderWithProviders(<RequestForm />);
    expect(screen.queryByLabelText('Category')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Priority')).not.toBeInTheDocument();

    await user.type(screen.getByLabelText('Title'), 'Refund please');
    await user.type(screen.getByLabelText('Description'), 'I was charged twice.');
    await user.click(screen.getByRole('button', { name: 'Submit request' }));

    expect(await screen.findByText(/Request #1 “Refund please” was sent/)).toBeInTheDocument();
    const post = db.requests.find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ title: 'Refund please', description: 'I was charged twice.' });
    expect(post?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(db.requests.some((r) => r.url.pathname === '/api/tickets/classify/')).toBe(false);
    // Nothing on the page speaks of labels: they are the server's and agents' business.
    expect(screen.queryByText(/Suggested/)).not.toBeInTheDocument();
    expect(screen.getByLabelText('Title')).toHaveValue('');
  });

  it('marks empty fields and focuses the first', async () => {
    const { user } = renderWithProviders(<RequestForm />);
    await user.click(screen.getByRole('button', { name: 'Submit request' }));
    await waitFor(() => expect(screen.getByLabelText('Title')).toHaveFocus());
    expect(screen.getByLabelText('Title')).toHaveAccessibleDescription(
      'A short summary, such as “Cannot download my invoice”. Give the request a title.',
    );
    expect(screen.getByLabelText('Description')).toHaveAttribute('aria-invalid', 'true');
    expect(db.requests).toHaveLength(0);
  });
});
