import type { ManSections } from '../man/man-sections';
import { STATE_ROOT_ENVIRONMENT } from './state-root-man';

/** The sections of vsb-exec(1) that its flags and examples cannot say. */
export const execMan: ManSections = {
  exitStatus: [
    { term: '0-125', text: 'The exit status of COMMAND.' },
    { term: '126, 127', text: "COMMAND could not be executed, or was not found (the message says so, as a shell's would)." },
    { term: '128+N', text: 'COMMAND was killed by signal N.' },
    {
      term: '1',
      text: 'NAME is not one of your running detached sandboxes, its command has ended or it is stopping, or COMMAND could not be started (a --workdir that is not there ...): the one-line message says which.',
    },
    { term: '2', text: 'A usage error.' },
  ],
  environment: [STATE_ROOT_ENVIRONMENT, { term: 'TERM', text: 'With --tty, passed to COMMAND (else it gets TERM=dumb).' }],
  files: [
    {
      term: '/run/vsb/NAME/keeper.sock',
      text: "The keeper's control socket, which only its owner may use: vsb exec sends it the command (and its descriptors); the keeper runs it through the sandbox's channel, on a stream of its own.",
    },
  ],
  security: [
    "COMMAND is started by the sandbox's init as it started the sandbox's command: in its user and mount namespaces (containers), as its user, without capabilities (unless --privileged), under its seccomp filter and Landlock ruleset, counted against its --pids bound. Terminals are never handed over (TIOCSTI): they are relayed.",
  ],
  seeAlso: ['vsb(1)', 'vsb-run(1)', 'vsb-attach(1)', 'vsb-ps(1)', 'vsb-stop(1)', 'podman-exec(1)'],
};
