import { Outlet } from 'react-router';
import { Dashboard } from '@/features/dashboard/components/dashboard';
import { TriageModelPanel } from '@/features/dashboard/components/triage-model-panel';
import { TicketForm } from '@/features/tickets/components/ticket-form';
import { TicketList } from '@/features/tickets/components/ticket-list';

/**
 * The desk: overview, triage model, new-ticket form and the ticket list; child routes open on top of
 * it.
 */
export function HomeRoute() {
  return (
    <div className="layout">
      <div className="layout__dashboard">
        <Dashboard />
        <TriageModelPanel />
      </div>
      <div className="layout__form">
        <section className="panel">
          <TicketForm />
        </section>
      </div>
      <div className="layout__list">
        <TicketList />
      </div>
      <Outlet />
    </div>
  );
}
