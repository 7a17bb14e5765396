import { delay, http, HttpResponse } from 'msw';
import type { AuthConfig, Team, User, UserRecord } from '@/types/models';
import type { Category, Classification, Message, Priority, Stats, Ticket, TicketEmail } from '@/types/models';
import { makeTicket, makeTriageStatus } from './data';

/**
 * An in-memory stand-in for the API, following the public contract. `auth.config` null is a
 * server from before accounts (404, which the app treats as open mode); in accounts mode every
 * call but /api/auth/ answers 401 while nobody is signed in, and a requester sees and changes
 * only their own tickets, as the backend's permission table says.
 */
export const db = {
  tickets: [] as Ticket[],
  /** Every ticket's messages, oldest first. */
  messages: [] as Message[],
  /** Every ticket's emails (the mail app), oldest first. */
  emails: [] as (TicketEmail & { ticket: number })[],
  requests: [] as { method: string; url: URL; headers: Headers; body: unknown }[],
  /** Teams (the routing app) and the users `GET /api/users/` lists. */
  teams: [] as Team[],
  users: [] as UserRecord[],
  auth: {
    config: { access_mode: 'open', signup: false } as AuthConfig | null,
    /** The signed-in user (the session), or null. */
    user: null as User | null,
    /** Who may sign in, with which password. */
    accounts: [] as { user: User; password: string }[],
    /** Seconds of Retry-After when sign-in is throttled; null when it is not. */
    loginThrottledFor: null as number | null,
  },
  reset() {
    this.tickets = [];
    this.messages = [];
    this.emails = [];
    this.requests = [];
    this.teams = [];
    this.users = [];
    this.auth = { config: { access_mode: 'open', signup: false }, user: null, accounts: [], loginThrottledFor: null };
  },
};

/** Accounts mode with `user` signed in (null: nobody), and `accounts` able to sign in with "secret". */
export function enableAccountsMode({ user = null, accounts = [], signup = false }: { user?: User | null; accounts?: User[]; signup?: boolean } = {}) {
  db.auth.config = { access_mode: 'accounts', signup };
  db.auth.user = user;
  db.auth.accounts = [...accounts, ...(user ? [user] : [])].map((u) => ({ user: u, password: 'secret' }));
}

function record(request: Request, body: unknown) {
  db.requests.push({ method: request.method, url: new URL(request.url), headers: request.headers, body });
}

/** The signed-in caller when they are a requester; they see and change only their own tickets. */
function requester(): User | null {
  return db.auth.config?.access_mode === 'accounts' && db.auth.user?.role === 'requester' ? db.auth.user : null;
}

/** The ticket `id` as the caller may see it: a requester sees only their own (404, never 403). */
function visibleTicket(id: number): Ticket | undefined {
  const ticket = db.tickets.find((t) => t.id === id);
  const me = requester();
  return ticket && (!me || ticket.requester?.id === me.id) ? ticket : undefined;
}

const REQUESTER_FIELDS = ['title', 'description', 'status'];

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
    sla: {
      at_risk: 0,
      breached: tickets.filter((t) => t.sla.first_response.breached || t.sla.resolution.breached).length,
      window_days: 30,
      attainment: {
        low: { first_response: null, resolution: null },
        medium: { first_response: null, resolution: null },
        high: { first_response: null, resolution: null },
        critical: { first_response: null, resolution: null },
      },
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

const authHandlers = [
  // In accounts mode nothing but /api/auth/ answers without a session. Falls through otherwise.
  http.all('/api/*', ({ request }) => {
    const path = new URL(request.url).pathname;
    if (db.auth.config?.access_mode !== 'accounts' || path.startsWith('/api/auth/')) return undefined;
    if (!db.auth.user) {
      record(request, null);
      return errorBody(401, 'not_authenticated', 'Authentication credentials were not provided.');
    }
    if (requester() && (path === '/api/tickets/stats/' || path === '/api/triage/status/')) {
      return errorBody(403, 'permission_denied', 'You do not have permission to perform this action.');
    }
    return undefined;
  }),

  http.get('/api/auth/config/', () =>
    db.auth.config ? HttpResponse.json(db.auth.config) : errorBody(404, 'not_found', 'Not found.'),
  ),

  http.get('/api/auth/me/', () =>
    db.auth.user ? HttpResponse.json(db.auth.user) : errorBody(401, 'not_authenticated', 'Not signed in.'),
  ),

  http.post('/api/auth/login/', async ({ request }) => {
    const body = (await request.json()) as { email?: string; password?: string };
    record(request, body);
    if (db.auth.loginThrottledFor !== null) {
      return HttpResponse.json(
        { error: { status: 429, code: 'throttled', message: 'Request was throttled.' } },
        { status: 429, headers: { 'Retry-After': String(db.auth.loginThrottledFor) } },
      );
    }
    const fields: Record<string, string[]> = {};
    if (!body.email?.includes('@')) fields.email = ['Enter a valid email address.'];
    if (!body.password) fields.password = ['This field may not be blank.'];
    if (Object.keys(fields).length) return errorBody(400, 'invalid', 'Invalid input.', fields);
    const account = db.auth.accounts.find((a) => a.user.email === body.email && a.password === body.password);
    if (!account) return errorBody(400, 'invalid_credentials', 'Wrong email or password.');
    db.auth.user = account.user;
    return HttpResponse.json(account.user);
  }),

  http.post('/api/auth/logout/', ({ request }) => {
    record(request, null);
    db.auth.user = null;
    return new HttpResponse(null, { status: 204 });
  }),

  http.post('/api/auth/signup/', async ({ request }) => {
    const body = (await request.json()) as { email: string; name: string; password: string };
    record(request, body);
    if (!db.auth.config?.signup) return errorBody(403, 'permission_denied', 'Sign-up is closed.');
    if (db.auth.accounts.some((a) => a.user.email === body.email)) {
      return errorBody(400, 'invalid', 'Invalid input.', { email: ['A user with this email already exists.'] });
    }
    const user: User = {
      id: db.auth.accounts.length + 100,
      email: body.email,
      name: body.name,
      role: 'requester',
      available: true,
    };
    db.auth.accounts.push({ user, password: body.password });
    db.auth.user = user;
    return HttpResponse.json(user, { status: 201 });
  }),
];

export const handlers = [
  ...authHandlers,
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
    const me = requester();
    // The quick views: `assignee=me|none|<id>`, `team=<id>|none`, `needs_triage=true`.
    const assignee = url.searchParams.get('assignee');
    const assigneeId = assignee === 'me' ? (db.auth.user?.id ?? -1) : assignee === 'none' ? null : Number(assignee);
    const team = url.searchParams.get('team');
    const matching = [...db.tickets]
      .filter((t) => !me || t.requester?.id === me.id)
      .filter((t) => assignee === null || (t.assignee?.id ?? null) === assigneeId)
      .filter((t) => team === null || (t.team?.id ?? null) === (team === 'none' ? null : Number(team)))
      .filter((t) => url.searchParams.get('needs_triage') !== 'true' || t.needs_triage)
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
      requester: db.auth.user ? { id: db.auth.user.id, email: db.auth.user.email, name: db.auth.user.name } : null,
    });
    db.tickets.push(ticket);
    return HttpResponse.json(ticket, { status: 201 });
  }),

  http.get('/api/tickets/:id/', ({ params }) => {
    const ticket = visibleTicket(Number(params.id));
    return ticket ? HttpResponse.json(ticket) : errorBody(404, 'not_found', 'Not found.');
  }),

  http.patch('/api/tickets/:id/', async ({ request, params }) => {
    const body = (await request.json()) as Partial<Ticket>;
    db.requests.push({ method: 'PATCH', url: new URL(request.url), headers: request.headers, body });
    await delay(20);
    const ticket = visibleTicket(Number(params.id));
    if (!ticket) return errorBody(404, 'not_found', 'Not found.');
    if (requester()) {
      const allowed =
        Object.keys(body).every((key) => REQUESTER_FIELDS.includes(key)) &&
        (body.status === undefined || body.status === 'closed') &&
        (ticket.status === 'open' || (body.title === undefined && body.description === undefined));
      if (!allowed) return errorBody(403, 'permission_denied', 'You do not have permission to perform this action.');
    }
    // As the server does: a label set here counts as a person's choice.
    const byHuman = {
      ...(body.category !== undefined ? { category_by_human: true } : {}),
      ...(body.priority !== undefined ? { priority_by_human: true } : {}),
    };
    Object.assign(ticket, body, byHuman, { updated_at: new Date().toISOString() });
    return HttpResponse.json(ticket);
  }),

  http.get('/api/tickets/:id/messages/', ({ params }) => {
    const ticket = visibleTicket(Number(params.id));
    if (!ticket) return errorBody(404, 'not_found', 'Not found.');
    const thread = db.messages.filter((m) => m.ticket === ticket.id && !(requester() && m.internal));
    return HttpResponse.json(thread);
  }),

  http.post('/api/tickets/:id/messages/', async ({ request, params }) => {
    const body = (await request.json()) as { body?: unknown; internal?: boolean };
    record(request, body);
    await delay(20);
    const ticket = visibleTicket(Number(params.id));
    if (!ticket) return errorBody(404, 'not_found', 'Not found.');
    const me = requester();
    if (me && body.internal) return errorBody(403, 'permission_denied', 'You do not have permission to perform this action.');
    if (typeof body.body !== 'string' || !body.body.trim()) {
      return errorBody(400, 'invalid', 'Invalid input: body.', { body: ['A message needs some text.'] });
    }
    if (ticket.status === 'closed') {
      return errorBody(409, 'ticket_closed', 'This request is closed and takes no more replies. Please open a new request.');
    }
    const user = db.auth.user;
    const message: Message = {
      id: db.messages.length + 1,
      ticket: ticket.id,
      author: user ? { id: user.id, name: user.name } : null,
      author_role: user ? user.role : null,
      body: body.body,
      internal: Boolean(body.internal),
      via: 'web',
      created_at: new Date().toISOString(),
    };
    db.messages.push(message);
    if (me && ticket.status === 'resolved') Object.assign(ticket, { status: 'open', updated_at: message.created_at });
    return HttpResponse.json(message, { status: 201 });
  }),

  http.get('/api/tickets/:id/emails/', ({ params }) => {
    const ticket = visibleTicket(Number(params.id));
    if (!ticket) return errorBody(404, 'not_found', 'No ticket with this id.');
    const staff = !requester();
    const rows = db.emails.filter((e) => e.ticket === ticket.id && (staff || e.kind !== 'bounce'));
    return HttpResponse.json(rows.map((email) => (staff ? email : { ...email, raw_url: null, last_error: null })));
  }),

  http.get('/api/tickets/:id/history/', () => errorBody(404, 'not_found', 'Not found.')),

  http.get('/api/triage/status/', () => HttpResponse.json(makeTriageStatus())),

  http.patch('/api/auth/me/', async ({ request }) => {
    const body = (await request.json()) as { available?: unknown };
    record(request, body);
    if (!db.auth.user) return errorBody(401, 'not_authenticated', 'Not signed in.');
    if (db.auth.user.role === 'requester') return errorBody(403, 'permission_denied', 'Agents only.');
    if (typeof body.available !== 'boolean') return errorBody(400, 'invalid', 'Invalid input.', { available: ['Must be a valid boolean.'] });
    db.auth.user = { ...db.auth.user, available: body.available };
    return HttpResponse.json(db.auth.user);
  }),

  // The people a ticket can be assigned to and teams are made of: `db.users`, and whoever can sign in.
  http.get('/api/users/', ({ request }) => {
    const role = new URL(request.url).searchParams.get('role');
    const accounts = db.auth.accounts
      .map((account): UserRecord => ({ ...account.user, is_active: true }))
      .filter((user) => !db.users.some((u) => u.id === user.id));
    return HttpResponse.json([...db.users, ...accounts].filter((user) => !role || user.role === role));
  }),

  // Teams: none unless a test adds some to `db.teams` or serves its own.
  http.get('/api/teams/', () => HttpResponse.json([...db.teams].sort((a, b) => a.name.localeCompare(b.name)))),

  http.post('/api/teams/', async ({ request }) => {
    const body = (await request.json()) as Partial<Team>;
    record(request, body);
    const invalid = teamProblems(body, null);
    if (invalid) return invalid;
    const team: Team = {
      id: Math.max(0, ...db.teams.map((t) => t.id)) + 1,
      name: body.name ?? '',
      members: [...(body.members ?? [])].sort((a, b) => a - b),
      categories: body.categories ?? [],
      assignment: body.assignment ?? 'off',
    };
    db.teams.push(team);
    return HttpResponse.json(team, { status: 201 });
  }),

  http.patch('/api/teams/:id/', async ({ request, params }) => {
    const body = (await request.json()) as Partial<Team>;
    record(request, body);
    const team = db.teams.find((t) => t.id === Number(params.id));
    if (!team) return errorBody(404, 'not_found', 'Not found.');
    const invalid = teamProblems(body, team);
    if (invalid) return invalid;
    Object.assign(team, body, body.members ? { members: [...body.members].sort((a, b) => a - b) } : {});
    return HttpResponse.json(team);
  }),
];

/** The server's 400 for a team: a blank or taken name, a category another team handles. */
function teamProblems(body: Partial<Team>, self: Team | null) {
  const fields: Record<string, string[]> = {};
  if (body.name !== undefined || !self) {
    if (!body.name?.trim()) fields.name = ['This field may not be blank.'];
    else if (db.teams.some((t) => t !== self && t.name === body.name)) fields.name = ['A team with this name exists.'];
  }
  const clashes = (body.categories ?? []).flatMap((c) => {
    const owner = db.teams.find((t) => t !== self && t.categories.includes(c));
    return owner ? [`${c} (${owner.name})`] : [];
  });
  if (clashes.length) fields.categories = [`Each category has one team; handled already: ${clashes.join(', ')}.`];
  return Object.keys(fields).length ? errorBody(400, 'invalid', 'Invalid input.', fields) : null;
}
