import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APP_ROOT } from '../../engine/data-paths';
import { appPaths } from './app-paths';

const config = parse(fs.readFileSync(path.join(APP_ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it('is valid for the installed electron-builder', async () => {
    const require = createRequire(path.join(APP_ROOT, 'package.json'));
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds a Dock-less arm64 dmg and zip with native code outside the archive', () => {
    expect(config.mac.extendInfo.LSUIElement).toBe(true);
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: ['arm64'] },
      { target: 'zip', arch: ['arm64'] },
    ]);
    expect(config.asarUnpack).toEqual(['**/node_modules/node-llama-cpp/**', '**/node_modules/@node-llama-cpp/**', '**/*.node']);
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(false);
    expect(config.extraMetadata.main).toBe('out/main/index.js');
  });

  it('packs every file the app reads at run time', () => {
    const root = '/packaged';
    const paths = appPaths(root);
    const needed = [
      paths.defaultsFile,
      paths.catalogFile,
      path.join(paths.skills, 'file-naming.md'),
      path.join(paths.rendererDir, 'index.html'),
      path.join(paths.assets, 'trayTemplate@2x.png'),
      paths.preload,
    ];
    const globs: string[] = config.files.filter((f: string) => !f.startsWith('!'));
    for (const file of needed.map((f) => path.relative(root, f))) {
      expect(
        globs.some((g) => path.matchesGlob(file, g)),
        file,
      ).toBe(true);
    }
  });
});

describe('tray icons', () => {
  const pngInfo = (file: string) => {
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), depth: bytes[24], colour: bytes[25] };
  };

  it('has 16 px and 32 px RGBA template images for each state', () => {
    for (const name of ['trayTemplate', 'trayBusyTemplate', 'trayVoteTemplate']) {
      expect(pngInfo(path.join(APP_ROOT, 'assets', `${name}.png`))).toEqual({ width: 16, height: 16, depth: 8, colour: 6 });
      expect(pngInfo(path.join(APP_ROOT, 'assets', `${name}@2x.png`))).toEqual({ width: 32, height: 32, depth: 8, colour: 6 });
    }
    expect(pngInfo(path.join(APP_ROOT, 'assets', 'icon.png'))).toMatchObject({ width: 1024, height: 1024 });
  });
});

describe('scripts/ensure-electron.mjs', () => {
  it('either finds the binary or explains in plain words how to get it', () => {
    // ELECTRON_SKIP_BINARY_DOWNLOAD makes electron's install.js skip the network, so this never downloads.
    const result = spawnSync(process.execPath, [path.join(APP_ROOT, 'scripts', 'ensure-electron.mjs')], {
      cwd: APP_ROOT,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
    if (result.status === 0) {
      expect(fs.existsSync(result.stdout.trim())).toBe(true);
    } else {
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/the Electron \d+\.\d+\.\d+ binary is missing and could not be downloaded/);
      expect(result.stderr).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD is set');
      expect(result.stderr).toContain('npx tinyarms serve');
    }
  });
});
