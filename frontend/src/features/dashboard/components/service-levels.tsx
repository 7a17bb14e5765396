import { formatPercent } from '@/lib/format';
import { PRIORITIES, PRIORITY_LABELS } from '@/lib/labels';
import type { Stats } from '@/types/models';
import { Figure } from './figure';

function rate(value: number | null): string {
  return value === null ? '—' : formatPercent(value);
}

/** Service levels: running tickets at risk and past due now, and the share of targets met in
 * time per priority over the tickets filed in the last `window_days` days. */
export function ServiceLevels({ sla }: { sla: Stats['sla'] }) {
  const numberFormat = new Intl.NumberFormat();
  return (
    <section className="service-levels" aria-labelledby="service-levels-title">
      <h3 id="service-levels-title" className="chart__title">
        Service levels
      </h3>
      <dl className="figures">
        <Figure label="At risk" value={numberFormat.format(sla.at_risk)} note="running, under 20% of the target left" />
        <Figure label="Breached" value={numberFormat.format(sla.breached)} note="running, past due" />
      </dl>
      <table className="service-levels__table">
        <caption>Targets met in time, tickets filed in the last {sla.window_days} days</caption>
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">First response</th>
            <th scope="col">Resolution</th>
          </tr>
        </thead>
        <tbody>
          {[...PRIORITIES].reverse().map((priority) => (
            <tr key={priority}>
              <th scope="row">{PRIORITY_LABELS[priority]}</th>
              <td>{rate(sla.attainment[priority].first_response)}</td>
              <td>{rate(sla.attainment[priority].resolution)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
