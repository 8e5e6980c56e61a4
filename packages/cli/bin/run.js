#!/usr/bin/env node
// vsb's entry point: oclif dispatches to dist/src/commands.
require('@oclif/core').execute({ dir: __dirname });
