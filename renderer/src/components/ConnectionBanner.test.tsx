import { act, fireEvent, render, screen } from '@testing-library/react';
import { FakeApi } from '../test/fake-api';
import { renderApp } from '../test/render-app';
import { afterEach, describe, expect, it } from 'vitest';
import { resetStores } from '../stores/reset-stores';
import { useConnectionStore } from '../stores/use-connection-store';
import { ConnectionBanner } from './ConnectionBanner';

afterEach(() => resetStores());

describe('ConnectionBanner', () => {
  it('shows nothing while connecting or connected', () => {
    const { container } = render(<ConnectionBanner />);
    expect(container.innerHTML).toBe('');
    act(() => useConnectionStore.getState().report({ state: 'open' }));
    expect(container.innerHTML).toBe('');
  });

  it('says it is reconnecting while the stream is down, and goes away when it is back', () => {
    const { container } = render(<ConnectionBanner />);
    act(() => useConnectionStore.getState().report({ state: 'retrying', message: 'the event stream failed (fetch failed); reconnecting' }));
    expect(screen.getByRole('alert').textContent).toBe('Reconnecting… Showing the last known state until tinyarms serve answers.');
    act(() => useConnectionStore.getState().report({ state: 'open' }));
    expect(container.innerHTML).toBe('');
  });

  it('tells a page whose token was refused to open the new link', () => {
    render(<ConnectionBanner />);
    act(() => useConnectionStore.getState().report({ state: 'refused', message: 'unauthorized: missing or wrong token' }));
    expect(screen.getByRole('alert').textContent).toContain('open the new link it printed');
  });
});

describe('the app while disconnected', () => {
  it('keeps the banner out of the header, makes the window inert, and clears a failed action’s error on reconnecting', async () => {
    const api = new FakeApi();
    api.failures.runMonitor = 'fetch failed';
    await renderApp('popover', api);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Check accuracy now' })));
    expect(screen.getByRole('alert').textContent).toBe('fetch failed');
    act(() => useConnectionStore.getState().report({ state: 'retrying', message: 'the event stream failed' }));
    const banner = screen.getAllByRole('alert').find((a) => a.className === 'connection-banner')!;
    const content = document.querySelector('.app__content')!;
    expect(content.hasAttribute('inert')).toBe(true);
    expect(content.contains(banner)).toBe(false);
    act(() => useConnectionStore.getState().report({ state: 'open' }));
    expect(content.hasAttribute('inert')).toBe(false);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
