import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveApi } from './api/resolve-api';
import { App } from './App';
import { StatusScreen } from './components/StatusScreen';
import './styles/base.css';
import './styles/popover.css';
import './styles/choice.css';
import './styles/preferences.css';

const choice = resolveApi(window);
const root = document.documentElement;
root.classList.add(choice.ok && choice.mode === 'electron' ? 'is-electron' : 'is-browser');
// macOS windows say what chrome they have: ?vibrancy=1 (the popover's material shows through the page) and
// ?titlebar=inset (a hidden title bar: the page's header is the title bar, with room for the traffic lights).
const flags = new URLSearchParams(window.location.search);
if (flags.has('vibrancy')) root.classList.add('has-vibrancy');
if (flags.get('titlebar') === 'inset') root.classList.add('has-inset-titlebar');
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {choice.ok ? (
      <App api={choice.api} />
    ) : (
      <div className="window">
        <StatusScreen title="Can’t connect" detail={choice.message} tone="warning" />
      </div>
    )}
  </StrictMode>,
);
