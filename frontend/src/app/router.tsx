import { BrowserRouter, Route, Routes } from 'react-router';
import { HomeRoute } from './routes/home';
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

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<HomeRoute />}>
        <Route path="tickets/:ticketId" element={<TicketRoute />} />
      </Route>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

export function AppRouter() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
