import { useEffect } from 'react';
import { WINDOW_TITLES, type TinyArmsApi } from '../../contract/api';
import { ApiContext } from './api/api-context';
import { ChoiceWindow } from './choice/ChoiceWindow';
import { ConnectionBanner, isDisconnected } from './components/ConnectionBanner';
import { StatusScreen } from './components/StatusScreen';
import { useEngineConnection } from './hooks/use-engine-connection';
import { useHashRoute } from './hooks/use-hash-route';
import { Popover } from './popover/Popover';
import { Preferences } from './preferences/Preferences';
import { useAppStore } from './stores/use-app-store';
import { useConnectionStore } from './stores/use-connection-store';
import { useRouteStore } from './stores/use-route-store';

function Routed() {
  const { route, params } = useRouteStore();
  const state = useAppStore((s) => s.state);
  const loadError = useAppStore((s) => s.loadError);

  useEffect(() => {
    // Preferences and the choice window title themselves with what they show, as macOS windows do.
    if (route === 'popover') document.title = WINDOW_TITLES.popover;
    document.documentElement.dataset.route = route;
  }, [route]);

  // The choice window asks the engine for its round itself; it needs no state to start.
  if (route === 'choice') return <ChoiceWindow taskId={params.task} />;
  if (!state) {
    return (
      <div className={`window ${route}`}>
        {loadError ? <StatusScreen title="Can’t reach tinyArms" detail={loadError} tone="warning" /> : <StatusScreen title="Loading…" />}
      </div>
    );
  }
  return route === 'preferences' ? <Preferences state={state} /> : <Popover state={state} />;
}

export function App({ api }: { api: TinyArmsApi }) {
  useEngineConnection(api);
  useHashRoute();
  const offline = useConnectionStore((s) => isDisconnected(s.status.state));
  return (
    <ApiContext.Provider value={api}>
      <div className="app">
        <ConnectionBanner />
        {/* While the live connection is down, what shows is the last known state: nothing in it can be used. */}
        <div className="app__content" inert={offline}>
          <Routed />
        </div>
      </div>
    </ApiContext.Provider>
  );
}
