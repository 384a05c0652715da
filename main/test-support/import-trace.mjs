// `node --import ./import-trace.mjs …`: appends every module the process resolves to the file named by
// TINYARMS_IMPORT_TRACE, so a test can assert what a command never loads (node-llama-cpp, React).
import { register } from 'node:module';

register('./import-trace-hooks.mjs', import.meta.url);
