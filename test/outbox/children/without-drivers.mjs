// An --import hook that makes the database drivers resolve as they do where they are not
// installed: from a directory with no node_modules, so Node throws its own ERR_MODULE_NOT_FOUND.
import { register } from 'node:module';

register('./without-drivers-hooks.mjs', import.meta.url);
