import { useEffect } from 'react';
import { WINDOW_TITLES, type TinyArmsApi } from '../../contract/api';
import { ApiContext } from './api/api-context';
import { ChoiceWindow } from './choice/ChoiceWindow';
import { ConnectionBanner } from './components/ConnectionBanner';
import { StatusScreen } from './components/StatusScreen';
import { useEngineConnection } from './hooks/use-engine-connection';
import { useHashRoute } from './hooks/use-hash-route';
import { Popover } from './popover/Popover';
import { Preferences } from './preferences/Preferences';
import { useAppStore } from './stores/use-app-store';
import { useRouteStore } from './stores/use-route-store';


function Routed() {
  const { route, params } = useRouteStore();
  const state = useAppStore((s) => s.state);
  const loadError = useAppStore((s) => s.loadError);

  useEffect(() => {
    // Preferences titles its window with the pane shown, as macOS settings windows do.
    if (route !== 'preferences') document.title = WINDOW_TITLES[route];
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
  return (
    <ApiContext.Provider value={api}>
      <ConnectionBanner />
      <Routed />
    </ApiContext.Provider>
  );
}
