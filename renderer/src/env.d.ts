import type { TinyArmsApi } from '../../contract/api';

declare global {
  interface Window {
    /** Exposed by Electron's preload script; absent in browser mode. */
    tinyArms?: TinyArmsApi;
  }
}
