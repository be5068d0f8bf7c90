// The project's root directory, from the source (server/) or from the built server (dist/server/main.js).
import { basename, dirname, resolve } from 'node:path';

const here = import.meta.dirname;
export const projectRoot =
  basename(here) === 'server' && basename(dirname(here)) === 'dist'
    ? resolve(here, '../..')
    : resolve(here, '..');
