import { Route, Routes } from 'react-router';
import { HomeRoute } from './routes/home';
import { RequestRoute, RequestsRoute } from './routes/requests';
import { TeamsRoute } from './routes/teams';
import { TicketRoute } from './routes/ticket';

function NotFound() {
  return (
    <div className="panel not-found">
      <h2 className="section-title">Page not found</h2>
      <p>
        <a href="/">Back to the desk</a>
      </p>
    </div>
  );
}

/** The desk of agents and admins, and of everyone in open mode. */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<HomeRoute />}>
        <Route path="tickets/:ticketId" element={<TicketRoute />} />
      </Route>
      <Route path="teams" element={<TeamsRoute />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

/** A requester's pages: their requests, one of which may be open on top. */
export function RequesterRoutes() {
  return (
    <Routes>
      <Route path="/" element={<RequestsRoute />}>
        <Route path="tickets/:ticketId" element={<RequestRoute />} />
      </Route>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
