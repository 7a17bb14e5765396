import { LoadError, Panel } from '@/components/panel';
import { formatPercent } from '@/lib/format';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  STATUSES,
  STATUS_LABELS,
} from '@/lib/labels';
import type { Stats } from '@/types/models';
import { useStats } from '../api/get-stats';
import { BarChart } from './bar-chart';
import { Figure } from './figure';
import { ServiceLevels } from './service-levels';

function breakdown<K extends string>(keys: readonly K[], labels: Record<K, string>, values: Record<K, number>) {
  return keys.map((key) => ({ key, label: labels[key], value: values[key] }));
}

function Acceptance({ acceptance }: { acceptance: Stats['acceptance'] }) {
  const byCategory = CATEGORIES.filter((key) => acceptance.by_category[key] != null);
  if (byCategory.length === 0) return null;
  return (
    <div className="chart">
      <p className="chart__title">AI suggestions kept, by category</p>
      <ul className="acceptance">
        {byCategory.map((key) => (
          <li key={key}>
            <span>{CATEGORY_LABELS[key]}</span> <strong>{formatPercent(acceptance.by_category[key])}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Dashboard() {
  const stats = useStats();
  const data = stats.data;
  const acceptance = data?.acceptance;
  const numberFormat = new Intl.NumberFormat();

  return (
    <Panel
      title="Overview"
      className="dashboard"
      busy={stats.isPending}
      note={stats.isError && data ? 'Showing the last figures; refreshing failed.' : undefined}
    >
      {stats.isError && !data ? (
        <LoadError message={`Could not load the statistics. ${stats.error.message}`} onRetry={() => stats.refetch()} />
      ) : (
        <>
          <dl className="figures">
            <Figure label="Total tickets" value={data ? numberFormat.format(data.total_tickets) : '…'} />
            <Figure label="Open tickets" value={data ? numberFormat.format(data.open_tickets) : '…'} />
            <Figure
              label="Avg per day"
              value={data ? data.avg_tickets_per_day.toLocaleString(undefined, { maximumFractionDigits: 1 }) : '…'}
            />
            {acceptance && acceptance.rate !== null ? (
              <Figure
                label="AI suggestions kept"
                value={formatPercent(acceptance.rate)}
                note={`of ${numberFormat.format(acceptance.reviewed)} reviewed`}
              />
            ) : null}
          </dl>
          {data ? (
            <div className="charts">
              <BarChart title="By priority" items={breakdown(PRIORITIES, PRIORITY_LABELS, data.priority_breakdown)} />
              <BarChart title="By category" items={breakdown(CATEGORIES, CATEGORY_LABELS, data.category_breakdown)} />
              <BarChart title="By status" items={breakdown(STATUSES, STATUS_LABELS, data.status_breakdown)} />
              <Acceptance acceptance={data.acceptance} />
            </div>
          ) : null}
          {data ? <ServiceLevels sla={data.sla} /> : null}
        </>
      )}
    </Panel>
  );
}
