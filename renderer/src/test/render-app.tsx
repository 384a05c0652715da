import { act, render } from '@testing-library/react';
import { StrictMode } from 'react';
import { App } from '../App';
import { FakeApi, type FakeApiOptions } from './fake-api';

/** Renders the whole app on a route (e.g. 'choice' or 'choice?task=t2') against a fake API; waits for the first state. */
export async function renderApp(route: string, options: FakeApiOptions | FakeApi = {}) {
  const api = options instanceof FakeApi ? options : new FakeApi(options);
  window.location.hash = `#/${route}`;
  // StrictMode runs effects twice, so a subscription that is not undone shows up in the tests.
  const view = render(
    <StrictMode>
      <App api={api} />
    </StrictMode>,
  );
  await act(async () => {
    await Promise.resolve();
  });
  return { api, ...view };
}
