import { Args } from '@oclif/core';

/** The NAME argument of the commands that act on a detached sandbox (`vsb logs`, `vsb stop`, `vsb exec`, `vsb attach`). */
export const SANDBOX_NAME_ARG = Args.string({ required: true, description: 'the name of the sandbox, as vsb ps lists it' });
