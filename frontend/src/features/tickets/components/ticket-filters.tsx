import { useEffect, useId, useRef, useState } from 'react';
import { SelectField, type SelectOption } from '@/components/select-field';
import { CATEGORY_OPTIONS, PRIORITY_OPTIONS, STATUS_OPTIONS } from '@/lib/labels';
import type { TicketOrdering } from '@/types/models';
import { useTicketFilters, type FilterName } from '../hooks/use-ticket-filters';

const SEARCH_DEBOUNCE_MS = 300;

const ORDERING_OPTIONS: readonly SelectOption<TicketOrdering>[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'relevance', label: 'Best match' },
];

type FilterSelectProps = {
  name: FilterName;
  label: string;
  allLabel: string;
  options: readonly SelectOption<string>[];
  selected: string[];
  onChange: (name: FilterName, value: string[]) => void;
};

function FilterSelect({ name, label, allLabel, options, selected, onChange }: FilterSelectProps) {
  // A shared link may carry several values for one filter; the select shows that as one choice.
  const several = selected.length > 1;
  const shown = several
    ? [
        {
          value: 'multiple',
          label: selected.map((value) => options.find((option) => option.value === value)?.label).join(', '),
          disabled: true,
        },
        ...options,
      ]
    : options;
  return (
    <SelectField
      compact
      label={label}
      value={several ? 'multiple' : (selected[0] ?? '')}
      emptyOption={allLabel}
      options={shown}
      onChange={(value) => onChange(name, value ? [value] : [])}
    />
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
  const hintId = useId();
  return (
    <SelectField
      compact
      label="Sort"
      value={value}
      options={ORDERING_OPTIONS}
      disabled={!searching}
      aria-describedby={searching ? undefined : hintId}
      onChange={onChange}
    >
      {searching ? null : (
        <span id={hintId} className="visually-hidden">
          Best match needs a search term.
        </span>
      )}
    </SelectField>
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
        options={CATEGORY_OPTIONS}
        selected={filters.category}
        onChange={update}
      />
      <FilterSelect
        name="priority"
        label="Filter by priority"
        allLabel="All priorities"
        options={PRIORITY_OPTIONS}
        selected={filters.priority}
        onChange={update}
      />
      <FilterSelect
        name="status"
        label="Filter by status"
        allLabel="All statuses"
        options={STATUS_OPTIONS}
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
