import { act, render, screen } from '@testing-library/react';
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
    expect(screen.getByRole('alert').textContent).toContain('Reconnecting to tinyArms…');
    expect(screen.getByRole('alert').getAttribute('title')).toBe('the event stream failed (fetch failed); reconnecting');
    act(() => useConnectionStore.getState().report({ state: 'open' }));
    expect(container.innerHTML).toBe('');
  });

  it('tells a page whose token was refused to open the new link', () => {
    render(<ConnectionBanner />);
    act(() => useConnectionStore.getState().report({ state: 'refused', message: 'unauthorized: missing or wrong token' }));
    expect(screen.getByRole('alert').textContent).toContain('open the new link it printed');
  });
});
