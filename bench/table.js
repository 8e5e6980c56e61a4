'use strict';
// The bench's text tables and the number formats in them.

/** A number with no decimals, '-' when there is none. */
const f0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-');
/** A number with two decimals (ratios), '-' when there is none. */
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '-');

/** Rows as aligned columns: the first left-aligned, the others right-aligned. */
function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ')).join('\n');
}

/** A target's cell: whether the figures meet it. */
const met = (ok) => (ok ? 'met' : 'NOT met');

module.exports = { f0, f2, met, table };
