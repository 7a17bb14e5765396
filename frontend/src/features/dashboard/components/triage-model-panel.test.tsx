import { screen, within } from '@testing-library/react';
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { makeTriageStatus } from '@/testing/data';
import { server } from '@/testing/server';
import { renderWithProviders } from '@/testing/test-utils';
import type { TriageStatus } from '@/types/models';
import { TriageModelPanel } from './triage-model-panel';

const HOUR_MS = 3600 * 1000;

function serve(status: TriageStatus) {
  server.use(http.get('/api/triage/status/', () => HttpResponse.json(status)));
}

function trained(overrides: Partial<TriageStatus> = {}): TriageStatus {
  const trainedAt = new Date(Date.now() - 3 * HOUR_MS).toISOString();
  return makeTriageStatus({
    providers: [
      { name: 'llm', available: false },
      { name: 'local', available: true },
      { name: 'rules', available: true },
    ],
    local_model: {
      version: '20250101T120000-abc123',
      trained_at: trainedAt,
      examples: { seed: 1234, human: 56 },
      held_out: {
        rows: 260,
        category_macro_f1: 0.8734,
        priority_macro_f1: 0.61,
        priority_qwk: 0.705,
        judged_on: { category: { rows: 'all', count: 260 }, priority: { rows: 'all', count: 260 } },
      },
      heads: {
        category: { version: '20250101T120000-abc123', trained_at: trainedAt },
        priority: { version: '20250101T120000-abc123', trained_at: trainedAt },
      },
    },
    learning: {
      labels_since_training: 12,
      retrain_every: 50,
      retrain_queued: false,
      last_trained_at: trainedAt,
    },
    ...overrides,
  });
}

describe('TriageModelPanel', () => {
  it('says it is loading until the status arrives', async () => {
    server.use(
      http.get('/api/triage/status/', async () => {
        await delay('infinite');
        return HttpResponse.json(makeTriageStatus());
      }),
    );
    renderWithProviders(<TriageModelPanel />);
    const panel = screen.getByRole('region', { name: 'Triage model' });
    expect(panel).toHaveAttribute('aria-busy', 'true');
    expect(within(panel).getByRole('status')).toHaveTextContent("Loading the triage model's status");
  });

  it('explains that no model is trained yet, and still shows the chain and the count', async () => {
    renderWithProviders(<TriageModelPanel />);
    expect(await screen.findByText('No model trained yet: it trains on the first suggestion.')).toBeInTheDocument();
    const providers = screen.getByRole('list', { name: 'Providers, in the order tried' });
    expect(within(providers).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'Local model available',
      'Keyword rules available',
    ]);
    expect(screen.getByLabelText('Learning')).toHaveTextContent('0 of 50 labels collected toward the next retrain');
    expect(screen.getByLabelText('Last retrain')).toHaveTextContent('Never');
    expect(screen.queryByText(/Category macro-F1/)).not.toBeInTheDocument();
    expect(screen.getByText(/No LLM in the chain\./)).toHaveTextContent('Setting OPENAI_API_KEY');
  });

  it('shows the live model, what it learned from and how well it scores', async () => {
    serve(trained());
    renderWithProviders(<TriageModelPanel />);
    expect(await screen.findByLabelText('Live version')).toHaveTextContent('20250101T120000-abc123');
    expect(screen.getByLabelText('Trained')).toHaveTextContent('3 hours ago');
    expect(screen.getByLabelText('Learned from')).toHaveTextContent("1,234 seed examples, 56 people's labels");
    expect(screen.getByLabelText('Category macro-F1 on built-in examples')).toHaveTextContent('0.87');
    expect(screen.getAllByText(/On 260 held-out examples, nearly all from the built-in corpus/)).toHaveLength(2);
    expect(screen.getAllByText(/not how well it does on your tickets/)).toHaveLength(2);
    expect(screen.getByLabelText('Priority QWK on built-in examples')).toHaveTextContent('0.71');
    expect(screen.getByLabelText('Learning')).toHaveTextContent('12 of 50 labels collected toward the next retrain');
    expect(screen.getByLabelText('Last retrain')).toHaveTextContent('3 hours ago');
    const providers = screen.getByRole('list', { name: 'Providers, in the order tried' });
    expect(within(providers).getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'LLM not configured',
      'Local model available',
      'Keyword rules available',
    ]);
    expect(screen.queryByText(/No model trained yet/)).not.toBeInTheDocument();
    expect(screen.queryByText(/No LLM in the chain/)).not.toBeInTheDocument();
    expect(screen.queryByText(/Category classifier from/)).not.toBeInTheDocument();
  });

  it("names the team's own labels when the scores are on them", async () => {
    const status = trained();
    const model = status.local_model!;
    serve({
      ...status,
      local_model: {
        ...model,
        held_out: {
          ...model.held_out,
          judged_on: { category: { rows: 'people', count: 41 }, priority: { rows: 'all', count: 260 } },
        },
      },
    });
    renderWithProviders(<TriageModelPanel />);
    expect(await screen.findByLabelText("Category macro-F1 on your team's labels")).toHaveTextContent('0.87');
    expect(screen.getByText(/On 41 tickets your team labelled, held out of training\./)).toBeInTheDocument();
    expect(screen.getByLabelText('Priority QWK on built-in examples')).toHaveTextContent('0.71');
  });

  it('says when a retrain is queued, and which fit each classifier comes from when they differ', async () => {
    const status = trained();
    const model = status.local_model!;
    serve({
      ...status,
      local_model: {
        ...model,
        version: 'v2-category',
        heads: { ...model.heads, category: { version: 'v2', trained_at: model.trained_at } },
      },
      learning: { ...status.learning, labels_since_training: 51, retrain_queued: true },
    });
    renderWithProviders(<TriageModelPanel />);
    expect(await screen.findByLabelText('Learning')).toHaveTextContent('Retrain queued');
    expect(
      screen.getByText('Category classifier from v2, priority from 20250101T120000-abc123.'),
    ).toBeInTheDocument();
  });

  it('offers a retry when the status cannot be loaded', async () => {
    let calls = 0;
    server.use(
      http.get('/api/triage/status/', () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.json({ error: { status: 503, code: 'unavailable', message: 'Down.' } }, { status: 503 })
          : HttpResponse.json(trained());
      }),
    );
    const { user } = renderWithProviders(<TriageModelPanel />);
    expect(await screen.findByRole('alert')).toHaveTextContent("Could not load the triage model's status. Down.");
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByLabelText('Priority QWK on built-in examples')).toHaveTextContent('0.71');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
