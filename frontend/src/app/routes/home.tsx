import { Outlet } from 'react-router';
import { Dashboard } from '@/features/dashboard/components/dashboard';
import { TriageModelPanel } from '@/features/dashboard/components/triage-model-panel';
import { TicketForm } from '@/features/tickets/components/ticket-form';
import { TicketList } from '@/features/tickets/components/ticket-list';

/**
 * The desk: overview, new-ticket form and the ticket list, then the triage model's status (a
 * diagnostic, kept below the daily work so the form stays in view); child routes open on top of it.
 */
export function HomeRoute() {
  return (
    <div className="layout">
      <div className="layout__dashboard">
        <Dashboard />
      </div>
      <div className="layout__form">
        <section className="panel">
          <TicketForm />
        </section>
      </div>
      <div className="layout__list">
        <TicketList />
      </div>
      <div className="layout__model">
        <TriageModelPanel />
      </div>
      <Outlet />
    </div>
  );
}
