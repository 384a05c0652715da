import fs from 'node:fs';
import { browserImageType } from '../../contract/file-kind';

/** Makes a small preview of a file as a data: URL, or null. Electron uses Quick Look (nativeImage.createThumbnailFromPath). */
export type ThumbnailMaker = (file: string) => Promise<string | null>;

/** Larger images are not sent whole to a page: a browser has no Quick Look to shrink them. */
export const MAX_BROWSER_THUMBNAIL_BYTES = 4 * 1024 * 1024;

/** Browser mode's preview: an image a browser can show, sent as it is (it is scaled by the page); nothing else. */
export const imageThumbnail: ThumbnailMaker = async (file) => {
  const type = browserImageType(file);
  if (!type) return null;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile() || stat.size > MAX_BROWSER_THUMBNAIL_BYTES) return null;
    return `data:${type};base64,${(await fs.promises.readFile(file)).toString('base64')}`;
  } catch {
    return null;
  }
};
