'use strict';
/** Median of a list of numbers: the figure the bench reports, as it shrugs off the outliers of a shared machine. */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

module.exports = { median };
