import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { resetStores } from '../stores/reset-stores';

beforeEach(() => {
  resetStores();
  window.location.hash = '';
  window.sessionStorage.clear();
});

afterEach(() => {
  cleanup();
});
