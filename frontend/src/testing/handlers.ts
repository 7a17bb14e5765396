import { delay, http, HttpResponse } from 'msw';
import type { Category, Classification, Priority, Stats, Ticket } from '@/types/models';
import { makeTicket, makeTriageStatus } from './data';

/** An in-memory stand-in for the API, following the public contract. */
export const db = {
  tickets: [] as Ticket[],
  requests: [] as { method: string; url: URL; headers: Headers; body: unknown }[],
  reset() {
    this.tickets = [];
    this.requests = [];
  },
};

function newestFirst(a: Ticket, b: Ticket): number {
  return b.created_at.localeCompare(a.created_at) || b.id - a.id;
}

function errorBody(status: number, code: string, message: string, fields?: Record<string, string[]>) {
  return HttpResponse.json({ error: { status, code, message, ...(fields ? { fields } : {}) } }, { status });
}

export function computeStats(tickets: Ticket[]): Stats {
  const count = <K extends string>(keys: K[], pick: (t: Ticket) => string) =>
    Object.fromEntries(keys.map((k) => [k, tickets.filter((t) => pick(t) === k).length])) as Record<K, number>;
  return {
    total_tickets: tickets.length,
    open_tickets: tickets.filter((t) => t.status === 'open').length,
    avg_tickets_per_day: tickets.length,
    priority_breakdown: count(['low', 'medium', 'high', 'critical'], (t) => t.priority),
    category_breakdown: count(['billing', 'technical', 'account', 'general'], (t) => t.category),
    status_breakdown: count(['open', 'in_progress', 'resolved', 'closed'], (t) => t.status),
    acceptance: {
      rate: null,
      reviewed: 0,
      by_category: { billing: null, technical: null, account: null, general: null },
    },
  };
}

function classifyText(description: string): Classification {
  const text = description.toLowerCase();
  const category: Category = /refund|invoice|charge/.test(text)
    ? 'billing'
    : /password|login/.test(text)
      ? 'account'
      : /error|crash|bug/.test(text)
        ? 'technical'
        : 'general';
  const priority: Priority = /urgent|down|outage/.test(text) ? 'critical' : 'medium';
  return {
    suggested_category: category,
    suggested_priority: priority,
    confidence: { category: 0.82, priority: 0.64 },
    provider: 'rules',
    reason: 'Matched keywords.',
    latency_ms: 1,
    cached: false,
  };
}

export const handlers = [
  http.get('/api/tickets/stats/', () => HttpResponse.json(computeStats(db.tickets))),

  http.post('/api/tickets/classify/', async ({ request }) => {
    const body = (await request.json()) as { description?: string };
    db.requests.push({ method: 'POST', url: new URL(request.url), headers: request.headers, body });
    if (!body.description?.trim()) {
      return errorBody(400, 'invalid', 'Invalid input.', { description: ['This field may not be blank.'] });
    }
    return HttpResponse.json(classifyText(body.description));
  }),

  http.get('/api/tickets/', ({ request }) => {
    const url = new URL(request.url);
    db.requests.push({ method: 'GET', url, headers: request.headers, body: null });
    const list = (name: string) => url.searchParams.get(name)?.split(',').filter(Boolean) ?? [];
    const [categories, priorities, statuses] = [list('category'), list('priority'), list('status')];
    const search = url.searchParams.get('search')?.toLowerCase() ?? '';
    const ordering = url.searchParams.get('ordering') ?? '';
    if (!['', 'newest', 'relevance'].includes(ordering)) {
      return errorBody(400, 'invalid', 'Invalid input.', { ordering: ['Must be "newest" or "relevance".'] });
    }
    // As on PostgreSQL: with a search term, relevance puts title matches above description ones.
    const rank = (t: Ticket) =>
      search && ordering === 'relevance' && t.title.toLowerCase().includes(search) ? 1 : 0;
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    const matching = [...db.tickets]
      .filter((t) => !categories.length || categories.includes(t.category))
      .filter((t) => !priorities.length || priorities.includes(t.priority))
      .filter((t) => !statuses.length || statuses.includes(t.status))
      .filter((t) => !search || `${t.title} ${t.description}`.toLowerCase().includes(search))
      .sort((a, b) => rank(b) - rank(a) || newestFirst(a, b));
    const page = matching.slice(offset, offset + limit);
    const headers: Record<string, string> = {
      'X-Total-Count': String(matching.length),
      'X-Total-Count-Exact': 'true',
    };
    if (offset + limit < matching.length) {
      const next = new URL(url);
      next.searchParams.set('cursor', String(offset + limit));
      headers.Link = `<${next.toString()}>; rel="next"`;
    }
    return HttpResponse.json(page, { headers });
  }),

  http.post('/api/tickets/', async ({ request }) => {
    const body = (await request.json()) as Partial<Ticket>;
    db.requests.push({ method: 'POST', url: new URL(request.url), headers: request.headers, body });
    if (!body.title?.trim()) {
      return errorBody(400, 'invalid', 'Invalid input.', { title: ['This field may not be blank.'] });
    }
    const suggestion = classifyText(body.description ?? '');
    const ticket = makeTicket({
      id: db.tickets.reduce((max, t) => Math.max(max, t.id), 0) + 1,
      title: body.title,
      description: body.description,
      category: body.category ?? suggestion.suggested_category,
      priority: body.priority ?? suggestion.suggested_priority,
      created_at: new Date().toISOString(),
      suggested_category: suggestion.suggested_category,
      suggested_priority: suggestion.suggested_priority,
      // As the server does: a label sent is the person's, kept suggestion or not.
      category_by_human: body.category !== undefined,
      priority_by_human: body.priority !== undefined,
    });
    db.tickets.push(ticket);
    return HttpResponse.json(ticket, { status: 201 });
  }),

  http.get('/api/tickets/:id/', ({ params }) => {
    const ticket = db.tickets.find((t) => t.id === Number(params.id));
    return ticket ? HttpResponse.json(ticket) : errorBody(404, 'not_found', 'Not found.');
  }),

  http.patch('/api/tickets/:id/', async ({ request, params }) => {
    const body = (await request.json()) as Partial<Ticket>;
    db.requests.push({ method: 'PATCH', url: new URL(request.url), headers: request.headers, body });
    await delay(20);
    const ticket = db.tickets.find((t) => t.id === Number(params.id));
    if (!ticket) return errorBody(404, 'not_found', 'Not found.');
    Object.assign(ticket, body, { updated_at: new Date().toISOString() });
    return HttpResponse.json(ticket);
  }),

  http.get('/api/tickets/:id/history/', () => errorBody(404, 'not_found', 'Not found.')),

  http.get('/api/triage/status/', () => HttpResponse.json(makeTriageStatus())),
];
