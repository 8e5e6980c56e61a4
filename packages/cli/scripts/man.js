#!/usr/bin/env node
// Writes the man pages (dist/man/man1/*.1) from the built CLI's command definitions; run by
// `npm run build` after the bundle, since oclif loads the commands from dist/vsb.js.
// SOURCE_DATE_EPOCH (seconds) fixes the pages' date for reproducible builds.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { manPages } = require('../dist/src/man/man-pages');

const root = path.join(__dirname, '..');
const dir = path.join(root, 'dist', 'man', 'man1');
const when = process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000) : new Date();

manPages(root, when.toISOString().slice(0, 10))
  .then((pages) => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    for (const { file, roff } of pages) fs.writeFileSync(path.join(dir, file), roff);
  })
  .catch((err) => {
    process.stderr.write(`man: ${err.stack || err}\n`);
    process.exitCode = 1;
  });
