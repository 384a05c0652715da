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
// A window created with macOS vibrancy loads the page with ?vibrancy=1: the page then lets it show through.
if (new URLSearchParams(window.location.search).has('vibrancy')) root.classList.add('has-vibrancy');
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
