import fs from 'node:fs';
import { dialog, nativeImage, shell, type BrowserWindow, type WebContents } from 'electron';
import type { FileChoice, WindowRoute } from '../../../contract/api';
import type { WindowOps } from '../../app/dispatch';
import type { ThumbnailMaker } from '../../app/thumbnails';
import { NEW_CONFIG_HEADER, UserError } from '../../engine';

export interface ShellDeps {
  windows: {
    open(route: WindowRoute): unknown;
    closeFor(sender: WebContents): void;
    windowOf(sender: WebContents): BrowserWindow | null;
    fit(sender: WebContents, height: number): void;
  };
  /** Whether the state shows this path: only those may be revealed in Finder. */
  showsPath(file: string): boolean;
  configFile: string;
}

const DIALOGS: Record<FileChoice, Electron.OpenDialogOptions> = {
  model: {
    title: 'Choose a model file',
    buttonLabel: 'Use Model',
    properties: ['openFile'],
    filters: [{ name: 'GGUF model', extensions: ['gguf'] }],
  },
  folder: { title: 'Choose a folder to watch', buttonLabel: 'Watch Folder', properties: ['openDirectory', 'createDirectory'] },
  'team-folder': {
    title: 'Choose the team’s shared folder',
    message: 'A folder your sync tool keeps in step for everyone (iCloud Drive, Dropbox, a git repository).',
    buttonLabel: 'Use Folder',
    properties: ['openDirectory', 'createDirectory'],
  },
};

/** The shell's operations for one page (the sender): windows, native open dialogs, Finder, the config file. */
export function electronShellOps(deps: ShellDeps, sender: WebContents): WindowOps {
  return {
    openWindow: async (route) => {
      deps.windows.open(route);
    },
    closeWindow: async () => {
      deps.windows.closeFor(sender);
    },
    fitWindow: async (height) => {
      deps.windows.fit(sender, height);
    },
    async chooseFile(kind) {
      const options = DIALOGS[kind];
      const parent = deps.windows.windowOf(sender);
      const answer = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return answer.canceled ? null : (answer.filePaths[0] ?? null);
    },
    async revealInFinder(file) {
      if (!deps.showsPath(file)) {
        throw new UserError('tinyArms only shows files it lists in Finder', { exitCode: 2, code: 'forbidden_path' });
      }
      shell.showItemInFolder(file);
    },
    async openConfigFile() {
      // A first run has no config.yaml yet: start one, so there is something to open.
      if (!fs.existsSync(deps.configFile)) fs.writeFileSync(deps.configFile, NEW_CONFIG_HEADER);
      const error = await shell.openPath(deps.configFile);
      if (error) throw new UserError(`could not open ${deps.configFile}: ${error}`);
    },
  };
}

/** Quick Look's preview of any file, as the Finder shows it. */
export const quickLookThumbnail: ThumbnailMaker = async (file) => {
  try {
    const image = await nativeImage.createThumbnailFromPath(file, { width: 192, height: 192 });
    return image.isEmpty() ? null : image.toDataURL();
  } catch {
    return null;
  }
};
