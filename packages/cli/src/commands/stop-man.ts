import type { ManSections } from '../man/man-sections';
import { STATE_ROOT_ENVIRONMENT } from './state-root-man';

/** The sections of vsb-stop(1) that its flags and examples cannot say. */
export const stopMan: ManSections = {
  exitStatus: [
    { term: '0', text: 'The sandbox is gone.' },
    {
      term: '1',
      text: "NAME is not one of your running detached sandboxes (no such sandbox, another user's, one a vsb run without --detach holds), or it could not be stopped.",
    },
    { term: '2', text: 'A usage error.' },
  ],
  environment: [STATE_ROOT_ENVIRONMENT],
  files: [
    {
      term: '/run/vsb/NAME/keeper.sock',
      text: "The keeper's control socket, which only its owner may use: vsb stop asks it to end the sandbox. A keeper that does not answer within the grace time and 10 s is killed; the sandbox then ends with it.",
    },
  ],
  seeAlso: ['vsb(1)', 'vsb-run(1)', 'vsb-ps(1)', 'vsb-logs(1)', 'podman-stop(1)'],
};
