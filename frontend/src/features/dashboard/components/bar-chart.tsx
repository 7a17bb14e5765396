import { useId } from 'react';

type Props = {
  title: string;
  items: { key: string; label: string; value: number }[];
};

/** A small horizontal bar chart; the numbers are text, the bars only decoration. */
export function BarChart({ title, items }: Props) {
  const id = useId();
  const max = Math.max(1, ...items.map((item) => item.value));
  const total = items.reduce((sum, item) => sum + item.value, 0);
  return (
    <figure className="chart" aria-labelledby={id}>
      <figcaption id={id} className="chart__title">
        {title}
      </figcaption>
      <ul className="chart__bars">
        {items.map((item) => (
          <li key={item.key} className={`chart__row chart__row--${item.key}`}>
            <span className="chart__label">{item.label}</span>
            <span className="chart__track" aria-hidden="true">
              <span className="chart__bar" style={{ width: `${(item.value / max) * 100}%` }} />
            </span>
            <span className="chart__value">
              {item.value}
              <span className="visually-hidden">
                {total > 0 ? ` (${Math.round((item.value / total) * 100)}%)` : ''}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
