// Preloaded (`--require`) when the package tests run on a Node.js version other than the one that
// installed the workspace: better-sqlite3 then loads the addon built for this version's ABI
// (scripts/native-addons.mjs) instead of the installing version's. Nothing else changes.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const directory = process.env.EVENTS_PROTOCOL_NATIVE_ADDONS;
if (directory) {
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveNativeAddon(request, ...rest) {
    if (typeof request === 'string' && request.endsWith(`${path.sep}better_sqlite3.node`)) {
      return path.join(directory, 'better_sqlite3.node');
    }
    return resolveFilename.call(this, request, ...rest);
  };
}
