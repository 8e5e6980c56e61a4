import type { ManSections } from '../man/man-sections';
import { STATE_ROOT_ENVIRONMENT } from './state-root-man';

/** The sections of vsb-ps(1) that its flags and examples cannot say. */
export const psMan: ManSections = {
  exitStatus: [
    { term: '0', text: 'The list was printed (an empty one too).' },
    { term: '2', text: 'A usage error.' },
  ],
  environment: [STATE_ROOT_ENVIRONMENT],
  files: [
    {
      term: '/run/vsb/NAME/keeper.json',
      text: 'What the keeper of a detached sandbox says of it (name, backend, URI, start time, command, state, how its command ended), rewritten atomically at each change; only your own are listed.',
    },
    { term: '/sys/fs/cgroup', text: 'The memory cgroup of each sandbox, whose current usage is the MEMORY column.' },
  ],
  seeAlso: ['vsb(1)', 'vsb-run(1)', 'vsb-exec(1)', 'vsb-logs(1)', 'vsb-stop(1)', 'podman-ps(1)'],
};
