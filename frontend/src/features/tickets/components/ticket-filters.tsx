import { useEffect, useId, useRef, useState } from 'react';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  PRIORITIES,
  PRIORITY_LABELS,
  STATUSES,
  STATUS_LABELS,
} from '@/lib/labels';
import type { TicketOrdering } from '@/types/models';
import { useTicketFilters, type FilterName } from '../hooks/use-ticket-filters';

export const SEARCH_DEBOUNCE_MS = 300;

type FilterSelectProps = {
  name: FilterName;
  label: string;
  allLabel: string;
  options: readonly string[];
  labels: Record<string, string>;
  selected: string[];
  onChange: (name: FilterName, value: string[]) => void;
};

function FilterSelect({ name, label, allLabel, options, labels, selected, onChange }: FilterSelectProps) {
  const id = useId();
  // A shared link may carry several values for one filter; the select shows that as one choice.
  const value = selected.length === 1 ? selected[0] : selected.length > 1 ? 'multiple' : '';
  return (
    <div className="field field--compact">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(name, event.target.value ? [event.target.value] : [])}
      >
        <option value="">{allLabel}</option>
        {selected.length > 1 ? (
          <option value="multiple" disabled>
            {selected.map((v) => labels[v]).join(', ')}
          </option>
        ) : null}
        {options.map((option) => (
          <option key={option} value={option}>
            {labels[option]}
          </option>
        ))}
      </select>
    </div>
  );
}

function SearchBox({ value, onSearch }: { value: string; onSearch: (value: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  const lastSent = useRef(value);

  // Follow the URL when it changes from elsewhere (back button, "Clear filters").
  useEffect(() => {
    if (value !== lastSent.current) {
      lastSent.current = value;
      setText(value);
    }
  }, [value]);

  useEffect(() => {
    if (text.trim() === lastSent.current.trim()) return;
    const timer = setTimeout(() => {
      lastSent.current = text.trim();
      onSearch(text);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, onSearch]);

  return (
    <div className="field field--compact ticket-filters__search">
      <label htmlFor={id}>Search</label>
      <input
        id={id}
        type="search"
        value={text}
        placeholder="Title or description"
        autoComplete="off"
        onChange={(event) => setText(event.target.value)}
      />
    </div>
  );
}

function SortSelect({
  value,
  searching,
  onChange,
}: {
  value: TicketOrdering;
  searching: boolean;
  onChange: (value: TicketOrdering) => void;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field field--compact">
      <label htmlFor={id}>Sort</label>
      <select
        id={id}
        value={value}
        disabled={!searching}
        aria-describedby={searching ? undefined : hintId}
        onChange={(event) => onChange(event.target.value === 'relevance' ? 'relevance' : 'newest')}
      >
        <option value="newest">Newest first</option>
        <option value="relevance">Best match</option>
      </select>
      {searching ? null : (
        <span id={hintId} className="visually-hidden">
          Best match needs a search term.
        </span>
      )}
    </div>
  );
}

export function TicketFilters() {
  const { filters, update, setOrdering, clear, active } = useTicketFilters();
  const onSearch = (value: string) => update('search', value);
  const onSearchRef = useRef(onSearch);
  useEffect(() => {
    onSearchRef.current = onSearch;
  });
  const [stableOnSearch] = useState(() => (value: string) => onSearchRef.current(value));

  return (
    <div className="ticket-filters" role="search" aria-label="Ticket filters">
      <SearchBox value={filters.search} onSearch={stableOnSearch} />
      <SortSelect value={filters.ordering} searching={filters.search.trim() !== ''} onChange={setOrdering} />
      <FilterSelect
        name="category"
        label="Filter by category"
        allLabel="All categories"
        options={CATEGORIES}
        labels={CATEGORY_LABELS}
        selected={filters.category}
        onChange={update}
      />
      <FilterSelect
        name="priority"
        label="Filter by priority"
        allLabel="All priorities"
        options={PRIORITIES}
        labels={PRIORITY_LABELS}
        selected={filters.priority}
        onChange={update}
      />
      <FilterSelect
        name="status"
        label="Filter by status"
        allLabel="All statuses"
        options={STATUSES}
        labels={STATUS_LABELS}
        selected={filters.status}
        onChange={update}
      />
      {active ? (
        <button type="button" className="button button--ghost ticket-filters__clear" onClick={clear}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
