import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { AppStateView } from '../../../contract/api';
import { useApi } from '../api/api-context';
import { Icon, type IconName } from '../components/Icon';
import { useCloseOnEscape } from '../hooks/use-close-on-escape';
import { AB_FIELDS, EVOLUTION_FIELDS } from '../lib/preference-fields';
import { PREFERENCES_TABS, usePreferencesStore, type PreferencesTab } from '../stores/use-preferences-store';
import { ConfigProblems } from './ConfigProblems';
import { FieldsPane } from './FieldsPane';
import { GeneralPane } from './GeneralPane';
import { HistoryPane } from './HistoryPane';
import { ModelPane } from './ModelPane';
import { TeamPane } from './TeamPane';

const TAB_ICONS: Record<PreferencesTab, IconName> = {
  general: 'gear',
  evolution: 'sparkles',
  testing: 'ab',
  model: 'chip',
  team: 'people',
  history: 'clock',
};

function Pane({ tab, state }: { tab: PreferencesTab; state: AppStateView }) {
  const locked = state.configProblems !== null;
  switch (tab) {
    case 'general':
      return <GeneralPane state={state} />;
    case 'evolution':
      return (
        <FieldsPane
          title="Evolution"
          intro="When a skill’s accuracy drops, tinyArms writes new prompts from your corrections and tests them with you."
          fields={EVOLUTION_FIELDS}
          preferences={state.preferences}
          locked={locked}
        />
      );
    case 'testing':
      return (
        <FieldsPane
          title="A/B testing"
          intro="During a test you pick the better of the new prompts’ results; tinyArms decides once it is sure."
          fields={AB_FIELDS}
          preferences={state.preferences}
          locked={locked}
        />
      );
    case 'model':
      return <ModelPane state={state} />;
    case 'team':
      return <TeamPane state={state} />;
    case 'history':
      return <HistoryPane state={state} />;
  }
}

/** Preferences: one unified toolbar (the pane's title and its icon tabs) over the pane, as macOS settings windows have. */
export function Preferences({ state }: { state: AppStateView }) {
  const api = useApi();
  const { tab, setTab } = usePreferencesStore();
  const tabRefs = useRef<Partial<Record<PreferencesTab, HTMLButtonElement | null>>>({});

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const index = PREFERENCES_TABS.findIndex((t) => t.id === tab);
    const next = PREFERENCES_TABS[(index + step + PREFERENCES_TABS.length) % PREFERENCES_TABS.length].id;
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  const label = PREFERENCES_TABS.find((t) => t.id === tab)?.label ?? '';
  useEffect(() => {
    document.title = label;
  }, [label]);

  useCloseOnEscape(api);
  return (
    <div className="window preferences">
      <header className="toolbar">
        <h1 className="toolbar__title">{label}</h1>
        <div className="toolbar__tabs" role="tablist" aria-label="Settings">
          {PREFERENCES_TABS.map((t) => (
            <button
              key={t.id}
              ref={(el) => {
                tabRefs.current[t.id] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`panel-${t.id}`}
              tabIndex={tab === t.id ? 0 : -1}
              className={`toolbar__tab${tab === t.id ? ' toolbar__tab--selected' : ''}`}
              onClick={() => setTab(t.id)}
              onKeyDown={onTabKey}
            >
              <Icon name={TAB_ICONS[t.id]} className="toolbar__tab-icon" />
              <span>{t.label}</span>
            </button>
          ))}
        </div>
      </header>
      <main className="preferences__body" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        <ConfigProblems state={state} />
        <Pane tab={tab} state={state} />
      </main>
    </div>
  );
}
