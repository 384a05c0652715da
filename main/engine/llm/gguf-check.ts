import fs from 'node:fs';
import { GgufInsights, readGgufFileInfo, type GgufFileInfo, type Llama } from 'node-llama-cpp';
import { UserError } from '../util/errors';

const invalid = (file: string, reason: string, cause?: unknown): UserError =>
  new UserError(`model file ${file} is not a valid GGUF (${reason})`, { code: 'invalid_model', cause });

/**
 * Reads the GGUF header and checks the tensor data fits in the file, so a corrupt or truncated
 * download fails with one clear UserError instead of a TypeError or a llama.cpp log line.
 * (node-llama-cpp's header reader is lenient: a 1000-byte stub of a valid file parses as "ok".)
 */
export async function checkGgufFile(file: string, llama?: Llama): Promise<GgufFileInfo> {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new UserError(`model file ${file} cannot be read (${(error as Error).message})`, { code: 'model_missing', cause: error });
  }
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(file, { readTensorInfo: true, logWarnings: false, sourceType: 'filesystem' });
  } catch (error) {
    throw invalid(file, (error as Error).message, error);
  }
  const architecture = info.metadata?.general?.architecture;
  if (!architecture) throw invalid(file, 'no general.architecture in its metadata; the file is damaged or truncated');
  let tensorBytes: number;
  try {
    tensorBytes = (await GgufInsights.from(info, llama)).modelSize;
  } catch (error) {
    throw invalid(file, `unreadable tensor table: ${(error as Error).message}`, error);
  }
  const expected = (info.infoEndOffset ?? 0) + tensorBytes;
  if (size < expected) throw invalid(file, `truncated: ${size} bytes, the header describes at least ${expected}`);
  return info;
}
