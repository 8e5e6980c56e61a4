import type { ManSections } from '../man/man-sections';
import { STATE_ROOT_ENVIRONMENT } from './state-root-man';

/** The sections of vsb-logs(1) that its flags and examples cannot say. */
export const logsMan: ManSections = {
  exitStatus: [
    { term: '0', text: 'The log was written (with --follow: the command has ended).' },
    { term: '1', text: 'NAME is not one of your running detached sandboxes.' },
    { term: '2', text: 'A usage error.' },
  ],
  environment: [STATE_ROOT_ENVIRONMENT],
  files: [
    {
      term: '/run/vsb/NAME/app.log, app.log.1',
      text: "The log, newer and older half: one line per record, TIME STREAM F|P CONTENT (the k8s-file format of podman's conmon; P: part of a line), readable with cat.",
    },
  ],
  seeAlso: ['vsb(1)', 'vsb-run(1)', 'vsb-ps(1)', 'vsb-stop(1)', 'podman-logs(1)'],
};
