import type { ManSections } from '../man/man-sections';
import { STATE_ROOT_ENVIRONMENT } from './state-root-man';

/** The sections of vsb-attach(1) that its flags and examples cannot say. */
export const attachMan: ManSections = {
  exitStatus: [
    { term: '0', text: 'Detached (Ctrl-], or a signal): the command goes on.' },
    { term: '0-125, 128+N', text: 'The command ended while attached: its exit status, or 128+N when signal N killed it.' },
    { term: '1', text: 'NAME is not one of your running detached sandboxes, or its command has ended.' },
    { term: '2', text: 'A usage error.' },
  ],
  environment: [STATE_ROOT_ENVIRONMENT],
  seeAlso: ['vsb(1)', 'vsb-run(1)', 'vsb-exec(1)', 'vsb-logs(1)', 'podman-attach(1)'],
};
