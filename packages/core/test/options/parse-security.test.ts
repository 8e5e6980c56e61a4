import type { SecuritySpec } from '../../src/sandbox-config';
import { parseSecurity } from '../../src/options';
import { itAccepts, itRejects } from './assert-option-error';

const USE = 'use dynamic, static,label=LABEL, inherit, none or a model: dac[,label=+UID:+GID]';

describe('parseSecurity', () => {
  itAccepts<SecuritySpec>(parseSecurity, [
    ['dynamic', { mode: 'dynamic' }],
    ['inherit', { mode: 'inherit' }],
    ['none', { mode: 'none' }],
    ['static,label=system_u:system_r:svirt_t:s0:c1,c2', { mode: 'static', label: 'system_u:system_r:svirt_t:s0:c1,c2' }],
    ['static,label=a,label=b,model=dac', { mode: 'static', label: 'a,label=b,model=dac' }],
    ['model=selinux,relabel=no,static,label=x', { mode: 'static', model: 'selinux', label: 'x', relabel: false }],
    ['static,relabel=yes,label=x', { mode: 'static', label: 'x', relabel: true }],
    ['dynamic,model=apparmor', { mode: 'dynamic', model: 'apparmor' }],
    ['dynamic,relabel=yes,label=system_u:system_r:svirt_lxc_net_t:s0', { mode: 'dynamic', label: 'system_u:system_r:svirt_lxc_net_t:s0', relabel: true }],
    ['inherit,model=dac', { mode: 'inherit', model: 'dac' }],
    ['dac', { mode: 'dynamic', model: 'dac' }],
    ['model=dac', { mode: 'dynamic', model: 'dac' }],
    ['dac,label=+107:+107', { mode: 'static', model: 'dac', label: '+107:+107' }],
    ['dac,relabel=no,label=+107:+107', { mode: 'static', model: 'dac', label: '+107:+107', relabel: false }],
    ['selinux,label=system_u:system_r:svirt_t:s0', { mode: 'static', model: 'selinux', label: 'system_u:system_r:svirt_t:s0' }],
    ['selinux,dynamic', { mode: 'dynamic', model: 'selinux' }],
  ]);
  itRejects(parseSecurity, [
    ['', 'VSB_BAD_SECURITY', `--security '': no mode given (${USE})`],
    ['relabel=yes', 'VSB_BAD_SECURITY', `--security 'relabel=yes': no mode given (${USE})`],
    ['dac,model=selinux', 'VSB_BAD_SECURITY', `--security 'dac,model=selinux': option 'model' is given twice`],
    ['label=a,b', 'VSB_BAD_SECURITY', `--security 'label=a,b': no mode given (did you mean 'static,label=a,b'?)`],
    ['static', 'VSB_BAD_SECURITY', `--security 'static': 'static' needs a label: static,label=LABEL (e.g. static,label=system_u:system_r:svirt_t:s0:c1,c2)`],
    ['static,label=', 'VSB_BAD_SECURITY', `--security 'static,label=': label= is empty`],
    ['label=x,static', 'VSB_BAD_SECURITY', `--security 'label=x,static': no mode given (did you mean 'static,label=x,static'?)`],
    ['inherit,label=x', 'VSB_BAD_SECURITY', `--security 'inherit,label=x': 'inherit' takes no label= (it uses vsb's own label)`],
    ['inherit,relabel=yes', 'VSB_BAD_SECURITY', `--security 'inherit,relabel=yes': 'inherit' takes no relabel=`],
    ['none,model=dac', 'VSB_BAD_SECURITY', `--security 'none,model=dac': 'none' takes no other options`],
    ['dynamic,static,label=x', 'VSB_BAD_SECURITY', `--security 'dynamic,static,label=x': two modes, 'dynamic' and 'static' (${USE})`],
    ['dynamic,relabel=no', 'VSB_BAD_SECURITY', `--security 'dynamic,relabel=no': 'dynamic' always relabels; relabel=no needs static,label=LABEL`],
    ['dynamic,relabel=true', 'VSB_BAD_SECURITY', `--security 'dynamic,relabel=true': relabel= must be yes or no, not 'true'`],
    ['dynamic,relabel=yes,relabel=yes', 'VSB_BAD_SECURITY', `--security 'dynamic,relabel=yes,relabel=yes': option 'relabel' is given twice`],
    ['dynamic,model=smack', 'VSB_BAD_SECURITY', `--security 'dynamic,model=smack': unknown security model 'smack' (use selinux, apparmor or dac)`],
    ['dynamic,model=dac,model=dac', 'VSB_BAD_SECURITY', `--security 'dynamic,model=dac,model=dac': option 'model' is given twice`],
    ['Dynamic', 'VSB_BAD_SECURITY', `--security 'Dynamic': unknown option 'Dynamic' (${USE}, optionally with model=, relabel= and a final label=)`],
    ['dynamic=1', 'VSB_BAD_SECURITY', `--security 'dynamic=1': unknown option 'dynamic=1' (${USE}, optionally with model=, relabel= and a final label=)`],
    ['dynamic,,model=dac', 'VSB_BAD_SECURITY', `--security 'dynamic,,model=dac': empty option (two commas in a row, or a comma at an end; ${USE})`],
    ['static,label=a\nb', 'VSB_BAD_SECURITY', `--security 'static,label=a\\nb': contains a control character`],
  ]);
});
