import { useId } from 'react';
import { LoadError, Panel } from '@/components/panel';
import { formatDateTime, formatProvider, formatRelative } from '@/lib/format';
import type { TriageStatus } from '@/types/models';
import { useTriageStatus } from '../api/get-triage-status';
import { Figure } from './figure';

const PROVIDER_LABELS: Record<string, string> = {
  llm: 'LLM',
  local: 'Local model',
  rules: 'Keyword rules',
};

/** The CSS block of one fact (see Figure). */
const FACT = 'model-fact';
const numberFormat = new Intl.NumberFormat();
const scoreFormat = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function When({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

function Providers({ providers }: { providers: TriageStatus['providers'] }) {
  const id = useId();
  return (
    <div className="model-providers">
      <h3 id={id} className="model-panel__subtitle">
        Providers, in the order tried
      </h3>
      <ol aria-labelledby={id} className="model-providers__list">
        {providers.map((provider) => (
          <li key={provider.name}>
            <span>{PROVIDER_LABELS[provider.name] ?? formatProvider(provider.name)}</span>{' '}
            <span className={`model-providers__state model-providers__state--${provider.available ? 'on' : 'off'}`}>
              {provider.available ? 'available' : 'not configured'}
            </span>
          </li>
        ))}
      </ol>
      {providers.some((provider) => provider.name === 'llm') ? null : (
        <p className="model-panel__hint">
          No LLM in the chain. Setting <code>OPENAI_API_KEY</code> (OpenAI, or any OpenAI-compatible server with{' '}
          <code>OPENAI_BASE_URL</code>) puts one in front of the local model.
        </p>
      )}
    </div>
  );
}

type HeldOut = NonNullable<TriageStatus['local_model']>['held_out'];

/** A held-out score, named by what it is measured on: the team's own labels, or the built-in examples. */
function HeldOutFigure({
  name,
  value,
  judged,
  meaning,
}: {
  name: string;
  value: number;
  judged: HeldOut['judged_on']['category'];
  meaning: string;
}) {
  const rows = numberFormat.format(judged.count);
  const own = judged.rows === 'people';
  return (
    <Figure
      block={FACT}
      label={own ? `${name} on your team's labels` : `${name} on built-in examples`}
      value={scoreFormat.format(value)}
      note={
        own
          ? `${meaning} On ${rows} tickets your team labelled, held out of training.`
          : `${meaning} On ${rows} held-out examples, nearly all from the built-in corpus the model was trained on: ` +
            'it says how well the model fits those, not how well it does on your tickets. ' +
            "Your team's own labels are scored here once about 30 of them are held out (roughly 150 labelled tickets)."
      }
    />
  );
}

function LocalModel({ model }: { model: NonNullable<TriageStatus['local_model']> }) {
  const { heads, held_out: heldOut } = model;
  const mixed = heads.category.version !== heads.priority.version;
  return (
    <dl className="model-facts">
      <Figure
        block={FACT}
        label="Live version"
        value={<code>{model.version}</code>}
        note={
          mixed
            ? `Category classifier from ${heads.category.version}, priority from ${heads.priority.version}.`
            : undefined
        }
      />
      <Figure block={FACT} label="Trained" value={<When iso={model.trained_at} />} />
      <Figure
        block={FACT}
        label="Learned from"
        value={`${numberFormat.format(model.examples.seed)} seed examples, ${numberFormat.format(model.examples.human)} people's labels`}
      />
      <HeldOutFigure
        name="Category macro-F1"
        value={heldOut.category_macro_f1}
        judged={heldOut.judged_on.category}
        meaning="0 to 1, higher is better; every category counts equally."
      />
      <HeldOutFigure
        name="Priority QWK"
        value={heldOut.priority_qwk}
        judged={heldOut.judged_on.priority}
        meaning="Agreement on priority, −1 to 1 (0 is chance); a near miss costs less than a far one."
      />
    </dl>
  );
}

function Learning({ learning }: { learning: TriageStatus['learning'] }) {
  const pending = numberFormat.format(learning.labels_since_training);
  const every = numberFormat.format(learning.retrain_every);
  return (
    <dl className="model-facts">
      <Figure
        block={FACT}
        label="Learning"
        value={learning.retrain_queued ? 'Retrain queued' : `${pending} of ${every} labels collected toward the next retrain`}
        note="A label counts when a person sets or changes a ticket's category or priority."
      />
      <Figure
        block={FACT}
        label="Last retrain"
        value={learning.last_trained_at ? <When iso={learning.last_trained_at} /> : 'Never'}
      />
    </dl>
  );
}

/** Whether triage is learning: who answers, what the local model learned and how well, and when it retrains. */
export function TriageModelPanel() {
  const status = useTriageStatus();
  const data = status.data;

  return (
    <Panel
      title="Triage model"
      className="model-panel"
      busy={status.isPending}
      note={status.isError && data ? 'Showing the last status; refreshing failed.' : undefined}
    >
      {data ? (
        <div className="model-panel__body">
          <Providers providers={data.providers} />
          {data.local_model ? (
            <LocalModel model={data.local_model} />
          ) : (
            <p className="model-panel__empty">No model trained yet: it trains on the first suggestion.</p>
          )}
          <Learning learning={data.learning} />
        </div>
      ) : status.isError ? (
        <LoadError
          message={`Could not load the triage model's status. ${status.error.message}`}
          onRetry={() => status.refetch()}
        />
      ) : (
        <p className="muted" role="status">
          Loading the triage model&apos;s status…
        </p>
      )}
    </Panel>
  );
}
