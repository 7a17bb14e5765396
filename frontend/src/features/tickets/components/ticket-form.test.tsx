import { screen, waitFor } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { db } from '@/testing/handlers';
import { server } from '@/testing/server';
import { renderWithProviders } from '@/testing/test-utils';
import { TicketForm } from './ticket-form';

const BILLING_TEXT = 'I was charged twice and need a refund';

function lastRequest(method: string, path: string) {
  return [...db.requests].reverse().find((r) => r.method === method && r.url.pathname === path);
}

describe('TicketForm', () => {
  it('labels its fields and counts title characters', async () => {
    const { user } = renderWithProviders(<TicketForm />);
    expect(screen.getByLabelText('Description')).toBeInTheDocument();
    expect(screen.getByLabelText('Category')).toHaveValue('');
    expect(screen.getByLabelText('Priority')).toHaveValue('');
    await user.type(screen.getByLabelText('Title'), 'Hello');
    expect(screen.getByText('5/200')).toBeInTheDocument();
    expect(screen.getByLabelText('Title')).toHaveAttribute('maxLength', '200');
  });

  it('pre-fills category and priority from the suggestion while typing', async () => {
    server.use(
      http.post('/api/tickets/classify/', async () => {
        await delay(150);
        return HttpResponse.json({
          suggested_category: 'billing',
          suggested_priority: 'high',
          confidence: { category: 0.91, priority: 0.55 },
          provider: 'local_model',
        });
      }),
    );
    const { user } = renderWithProviders(<TicketForm />);
    await user.type(screen.getByLabelText('Title'), 'Double charge');
    await user.type(screen.getByLabelText('Description'), BILLING_TEXT);
    expect(await screen.findByText('Suggesting…')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText('Category')).toHaveValue('billing'));
    expect(screen.getByLabelText('Priority')).toHaveValue('high');
    expect(screen.getByText(/Suggested by local model, 91% confident/)).toBeInTheDocument();
    expect(screen.getByText(/Suggested by local model, 55% confident/)).toBeInTheDocument();
  });

  it('asks for a suggestion at once when a field loses focus', async () => {
    const { user } = renderWithProviders(<TicketForm />);
    await user.click(screen.getByLabelText('Description'));
    await user.paste('The app shows an error and crashes');
    await user.tab();
    await waitFor(() => expect(screen.getByLabelText('Category')).toHaveValue('technical'), {
      timeout: 400,
    });
  });

  it('never overwrites a label the person chose', async () => {
    const { user } = renderWithProviders(<TicketForm />);
    await user.type(screen.getByLabelText('Title'), 'Refund');
    await user.type(screen.getByLabelText('Description'), BILLING_TEXT);
    await waitFor(() => expect(screen.getByLabelText('Category')).toHaveValue('billing'));
    await user.selectOptions(screen.getByLabelText('Category'), 'account');
    expect(screen.getByText(/Your choice\. AI suggested Billing/)).toBeInTheDocument();

    await user.type(screen.getByLabelText('Description'), '. Urgent: the site is down');
    await waitFor(() => expect(screen.getByLabelText('Priority')).toHaveValue('critical'));
    expect(screen.getByLabelText('Category')).toHaveValue('account');
  });

  it('submits the labels shown, kept suggestions and choices alike, with an idempotency key, then clears', async () => {
    const { user } = renderWithProviders(<TicketForm />);
    await user.type(screen.getByLabelText('Title'), 'Refund please');
    await user.type(screen.getByLabelText('Description'), BILLING_TEXT);
    await waitFor(() => expect(screen.getByLabelText('Category')).toHaveValue('billing'));
    await user.selectOptions(screen.getByLabelText('Priority'), 'high');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));

    expect(await screen.findByText(/Ticket #1 “Refund please” was created/)).toBeInTheDocument();
    const post = lastRequest('POST', '/api/tickets/');
    expect(post?.body).toEqual({
      title: 'Refund please',
      description: BILLING_TEXT,
      category: 'billing',
      priority: 'high',
    });
    expect(post?.headers.get('Idempotency-Key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(db.tickets[0]).toMatchObject({ category_by_human: true, priority_by_human: true });
    expect(screen.getByLabelText('Title')).toHaveValue('');
    expect(screen.getByLabelText('Description')).toHaveValue('');
    expect(screen.getByLabelText('Category')).toHaveValue('');
    expect(screen.getByLabelText('Priority')).toHaveValue('');
  });

  it('leaves a label to triage when the person picks "Let AI decide", even as suggestions change', async () => {
    const { user } = renderWithProviders(<TicketForm />);
    await user.type(screen.getByLabelText('Title'), 'Refund');
    await user.type(screen.getByLabelText('Description'), BILLING_TEXT);
    await waitFor(() => expect(screen.getByLabelText('Category')).toHaveValue('billing'));
    await user.selectOptions(screen.getByLabelText('Category'), '');
    expect(screen.getByLabelText('Category')).toHaveValue('');
    expect(
      screen.getByText(/Left empty, the category is set by automatic triage\. AI suggested Billing/),
    ).toBeInTheDocument();

    await user.type(screen.getByLabelText('Description'), '. Urgent: the site is down');
    await waitFor(() => expect(screen.getByLabelText('Priority')).toHaveValue('critical'));
    expect(screen.getByLabelText('Category')).toHaveValue('');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByText(/was created/)).toBeInTheDocument();
    expect(lastRequest('POST', '/api/tickets/')?.body).toEqual({
      title: 'Refund',
      description: `${BILLING_TEXT}. Urgent: the site is down`,
      priority: 'critical',
    });
  });

  it('validates required fields without calling the server', async () => {
    const { user } = renderWithProviders(<TicketForm />);
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(screen.getByText('Give the ticket a title.')).toBeInTheDocument();
    expect(screen.getByText('Describe the problem.')).toBeInTheDocument();
    expect(screen.getByLabelText('Title')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Title')).toHaveFocus();
    expect(lastRequest('POST', '/api/tickets/')).toBeUndefined();
  });

  it('keeps the input and shows the error when the server refuses, reusing the key on retry', async () => {
    let calls = 0;
    const keys: (string | null)[] = [];
    const bodies: unknown[] = [];
    server.use(
      http.post('/api/tickets/', async ({ request }) => {
        calls += 1;
        keys.push(request.headers.get('Idempotency-Key'));
        bodies.push(await request.json());
        if (calls === 1) {
          return HttpResponse.json(
            { error: { status: 503, code: 'unavailable', message: 'Service is busy.' } },
            { status: 503 },
          );
        }
        return HttpResponse.json(
          { error: { status: 400, code: 'invalid', message: 'Invalid input.', fields: { title: ['Too odd.'] } } },
          { status: 400 },
        );
      }),
    );
    const { user } = renderWithProviders(<TicketForm />);
    await user.type(screen.getByLabelText('Title'), 'Keep me');
    await user.type(screen.getByLabelText('Description'), 'Something broke');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByText(/Could not submit the ticket\. Service is busy\./)).toBeInTheDocument();
    expect(screen.getByLabelText('Title')).toHaveValue('Keep me');
    expect(screen.getByLabelText('Description')).toHaveValue('Something broke');

    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByText('Too odd.')).toBeInTheDocument();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(bodies[1]).toEqual(bodies[0]);
  });

  it('retries what the person submitted when a suggestion arrives between attempts', async () => {
    let releaseSuggestion = () => {};
    const suggestionHeld = new Promise<void>((resolve) => {
      releaseSuggestion = resolve;
    });
    server.use(
      http.post('/api/tickets/classify/', async () => {
        await suggestionHeld;
        return HttpResponse.json({
          suggested_category: 'billing',
          suggested_priority: 'high',
          confidence: { category: 0.9, priority: 0.7 },
          provider: 'local_model',
        });
      }),
    );
    const posts: { body: unknown; key: string | null }[] = [];
    server.use(
      http.post('/api/tickets/', async ({ request }) => {
        posts.push({ body: await request.clone().json(), key: request.headers.get('Idempotency-Key') });
        if (posts.length > 2) return undefined;
        return HttpResponse.json(
          { error: { status: 503, code: 'unavailable', message: 'Service is busy.' } },
          { status: 503 },
        );
      }),
    );
    const { user } = renderWithProviders(<TicketForm />);
    await user.type(screen.getByLabelText('Title'), 'Double charge');
    await user.type(screen.getByLabelText('Description'), BILLING_TEXT);
    expect(await screen.findByText('Suggesting…')).toBeInTheDocument();

    // Submitted while both selects still say "Let AI decide": the labels are left to triage.
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByText(/Service is busy/)).toBeInTheDocument();
    expect(posts[0].body).toEqual({ title: 'Double charge', description: BILLING_TEXT });

    // The suggestion lands after the failure: shown as advice, but it does not fill the selects,
    // so the retry is the same request under the same key (no duplicate if the first one landed).
    releaseSuggestion();
    expect(await screen.findByText(/AI suggested Billing \(local model, 90% confident\)/)).toBeInTheDocument();
    expect(screen.getByLabelText('Category')).toHaveValue('');
    expect(screen.getByLabelText('Priority')).toHaveValue('');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    await waitFor(() => expect(posts).toHaveLength(2));
    expect(posts[1].body).toEqual(posts[0].body);
    expect(posts[1].key).toBe(posts[0].key);

    // Taking the suggestion is a different submission, with a key of its own.
    await user.selectOptions(screen.getByLabelText('Category'), 'billing');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByText(/was created/)).toBeInTheDocument();
    expect(posts[2].body).toEqual({ title: 'Double charge', description: BILLING_TEXT, category: 'billing' });
    expect(posts[2].key).not.toBe(posts[0].key);
  });

  it('keeps the suggested labels it sent when an attempt fails', async () => {
    const keys: (string | null)[] = [];
    server.use(
      http.post('/api/tickets/', ({ request }) => {
        keys.push(request.headers.get('Idempotency-Key'));
        if (keys.length > 1) return undefined;
        return HttpResponse.json(
          { error: { status: 503, code: 'unavailable', message: 'Service is busy.' } },
          { status: 503 },
        );
      }),
    );
    const { user } = renderWithProviders(<TicketForm />);
    await user.type(screen.getByLabelText('Title'), 'Refund');
    await user.type(screen.getByLabelText('Description'), BILLING_TEXT);
    await waitFor(() => expect(screen.getByLabelText('Category')).toHaveValue('billing'));
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByText(/Service is busy/)).toBeInTheDocument();

    // Sent once, the labels are the person's: a newer suggestion no longer replaces them.
    expect(screen.getByText(/Your choice\. AI suggested Billing/)).toBeInTheDocument();
    await user.type(screen.getByLabelText('Description'), '. Urgent: the site is down');
    await waitFor(() => expect(screen.getByText(/Your choice\. AI suggested Critical/)).toBeInTheDocument());
    expect(screen.getByLabelText('Priority')).toHaveValue('medium');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByText(/was created/)).toBeInTheDocument();
    expect(lastRequest('POST', '/api/tickets/')?.body).toMatchObject({ category: 'billing', priority: 'medium' });
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('still works, quietly, when suggestions fail', async () => {
    server.use(
      http.post('/api/tickets/classify/', () =>
        HttpResponse.json({ error: { status: 500, code: 'error', message: 'boom' } }, { status: 500 }),
      ),
    );
    const { user } = renderWithProviders(<TicketForm />);
    await user.type(screen.getByLabelText('Title'), 'No suggestions');
    await user.type(screen.getByLabelText('Description'), 'Please help');
    expect(await screen.findByText(/Suggestions are unavailable right now/)).toBeInTheDocument();
    expect(screen.queryByRole('alert', { name: /boom/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByText(/was created/)).toBeInTheDocument();
    expect(lastRequest('POST', '/api/tickets/')?.body).toEqual({
      title: 'No suggestions',
      description: 'Please help',
    });
  });

  it('says so quietly when suggestions are slow, and submits without them', async () => {
    server.use(
      http.post('/api/tickets/classify/', async () => {
        await delay('infinite');
        return HttpResponse.json({});
      }),
    );
    const { user } = renderWithProviders(<TicketForm />);
    await user.type(screen.getByLabelText('Title'), 'Slow');
    await user.type(screen.getByLabelText('Description'), 'Still waiting');
    expect(
      await screen.findByText(/Suggestions are slow right now/, undefined, { timeout: 4000 }),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    expect(await screen.findByText(/was created/)).toBeInTheDocument();
    expect(lastRequest('POST', '/api/tickets/')?.body).toEqual({ title: 'Slow', description: 'Still waiting' });
  });

  it('says suggestions are paused when rate-limited', async () => {
    server.use(
      http.post('/api/tickets/classify/', () =>
        HttpResponse.json(
          { error: { status: 429, code: 'throttled', message: 'Slow down.' } },
          { status: 429, headers: { 'Retry-After': '30' } },
        ),
      ),
    );
    const { user } = renderWithProviders(<TicketForm />);
    await user.type(screen.getByLabelText('Description'), 'Help');
    expect(await screen.findByText(/Suggestions are paused for a moment/)).toBeInTheDocument();
  });
});
