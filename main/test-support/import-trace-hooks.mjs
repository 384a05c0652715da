import fs from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  if (process.env.TINYARMS_IMPORT_TRACE) fs.appendFileSync(process.env.TINYARMS_IMPORT_TRACE, `${result.url}\n`);
  return result;
}
