import type { SecuritySpec } from '../sandbox-config';
import { optionError, quoteValue } from './option-error';

type Mode = SecuritySpec['mode'];
const MODES: readonly Mode[] = ['dynamic', 'static', 'inherit', 'none'];
const MODELS = ['selinux', 'apparmor', 'dac'];
const USE = 'use dynamic, static,label=LABEL, inherit, none or a model: dac[,label=+UID:+GID]';

/**
 * Parses `--security`: one mode, `dynamic` (a fresh label per run; `label=` is then the base
 * label), `static,label=L` (exactly L; needs the label), `inherit` (vsb's own label; no label, no
 * relabel) or `none` (nothing else allowed), plus optional `model=selinux|apparmor|dac` (or the
 * bare model name: `dac,label=+107:+107`) and `relabel=yes|no` (`relabel=no` is refused with dynamic,
 * which libvirt only accepts relabelled). A model without a mode means `static` when a label is
 * given, else `dynamic`: `--security dac` asks for a per-sandbox uid.
 * `label=` takes everything after it, commas included (SELinux categories `c1,c2`), so it must come
 * last. Options are comma-separated and given once.
 */
export function parseSecurity(text: string): SecuritySpec {
  const bad = optionError('VSB_BAD_SECURITY', '--security', text);
  if (text === '') throw bad(`no mode given (${USE})`);
  if (/[\x00-\x1f\x7f]/.test(text)) throw bad('contains a control character');
  const labelAt = /(?:^|,)label=/.exec(text);
  const head = labelAt ? text.slice(0, labelAt.index) : text;
  const label = labelAt ? text.slice(labelAt.index + labelAt[0].length) : undefined;
  let mode: Mode | undefined;
  let model: string | undefined;
  let relabel: boolean | undefined;
  for (const item of head === '' && labelAt ? [] : head.split(',')) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (item === '') throw bad(`empty option (two commas in a row, or a comma at an end; ${USE})`);
    if (eq < 0 && MODES.includes(key as Mode)) {
      if (mode !== undefined) throw bad(`two modes, '${mode}' and '${key}' (${USE})`);
      mode = key as Mode;
    } else if ((key === 'model' && eq >= 0) || (eq < 0 && MODELS.includes(key))) {
      if (model !== undefined) throw bad(`option 'model' is given twice`);
      const name = eq < 0 ? key : value;
      if (!MODELS.includes(name)) throw bad(`unknown security model ${quoteValue(name)} (use selinux, apparmor or dac)`);
      model = name;
    } else if (key === 'relabel' && eq >= 0) {
      if (relabel !== undefined) throw bad(`option 'relabel' is given twice`);
      if (value !== 'yes' && value !== 'no') throw bad(`relabel= must be yes or no, not ${quoteValue(value)}`);
      relabel = value === 'yes';
    } else {
      throw bad(`unknown option ${quoteValue(item)} (${USE}, optionally with model=, relabel= and a final label=)`);
    }
  }
  if (label === '') throw bad('label= is empty');
  if (mode === undefined && model !== undefined) mode = label === undefined ? 'dynamic' : 'static';
  switch (mode) {
    case undefined:
      throw bad(label === undefined ? `no mode given (${USE})` : `no mode given (did you mean ${quoteValue(`static,${text}`)}?)`);
    case 'none':
      if (model !== undefined || relabel !== undefined || label !== undefined) throw bad(`'none' takes no other options`);
      return { mode };
    case 'inherit':
      if (label !== undefined) throw bad(`'inherit' takes no label= (it uses vsb's own label)`);
      if (relabel !== undefined) throw bad(`'inherit' takes no relabel=`);
      return { mode, ...(model && { model }) };
    case 'static':
      if (label === undefined) throw bad(`'static' needs a label: static,label=LABEL (e.g. static,label=system_u:system_r:svirt_t:s0:c1,c2)`);
      return { mode, ...(model && { model }), label, ...(relabel !== undefined && { relabel }) };
    case 'dynamic':
      if (relabel === false) throw bad(`'dynamic' always relabels; relabel=no needs static,label=LABEL`);
      return { mode, ...(model && { model }), ...(label !== undefined && { label }), ...(relabel !== undefined && { relabel }) };
  }
}
