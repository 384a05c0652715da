import { app, dialog } from 'electron';
import { oneLine } from '../../app/errors';
import { registerAppScheme } from './app-protocol';
import { composeApp, type ComposedApp } from './compose';
import { acquireSingleInstance, denyPermissions, hardenWebContents, hideDockInDevelopment, keepRunningWithoutWindows } from './lifecycle';
import { appPaths, rootFromEntry } from './app-paths';

// The Electron entry (built to out/main/index.js): it only decides when things happen; compose.ts wires them.

const paths = appPaths(rootFromEntry(import.meta.url));
let composed: ComposedApp | null = null;
let quitting = false;

registerAppScheme();
// A separate Chromium profile (and so a separate single-instance lock) for development and end-to-end tests.
if (process.env.TINYARMS_USER_DATA) app.setPath('userData', process.env.TINYARMS_USER_DATA);

if (acquireSingleInstance(() => composed?.windows.open('popover'))) {
  hideDockInDevelopment();
  keepRunningWithoutWindows();
  hardenWebContents();

  app
    .whenReady()
    .then(async () => {
      denyPermissions();
      composed = await composeApp({
        paths,
        devServerUrl: app.isPackaged ? null : (process.env.TINYARMS_RENDERER_URL ?? null),
        openOnStart: process.env.TINYARMS_OPEN ?? null,
        devTools: !app.isPackaged,
      });
    })
    .catch((error) => {
      dialog.showErrorBox('tinyArms could not start', oneLine(error));
      app.exit(1);
    });

  // Stopping is asynchronous (the evolution host may need to wind down): hold the quit until it is done.
  app.on('before-quit', (event) => {
    if (quitting || !composed) return;
    event.preventDefault();
    quitting = true;
    const done = composed.stop().catch((error) => process.stderr.write(`tinyArms: ${oneLine(error)}\n`));
    void done.finally(() => app.quit());
  });
}
