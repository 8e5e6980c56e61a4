/**
 * Escapes text for roff, so any summary or description oclif holds renders as written: a backslash
 * is `\e`, a hyphen `\-` (man pages are searched for `\-\-flag`, and groff would otherwise print
 * U+2010), and a line starting with `.` or `'` is not taken for a request.
 */
export function roffEscape(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

/** Longest input line of prose: `mandoc -T lint` reports longer ones. */
const MAX_LINE = 78;

/**
 * A paragraph of prose as roff lines: escaped, runs of whitespace joined, each sentence on a line
 * of its own (roff's convention: a sentence end is then known) and no line longer than 78 bytes,
 * so `mandoc -T lint` has nothing to say.
 */
export function roffParagraph(text: string): string {
  const sentences = roffEscape(text.replace(/\s+/g, ' ').trim()).split(/(?<=[.!?]) (?=[A-Z(`'"\\])/);
  return sentences.flatMap(wrap).join('\n');
}

function wrap(sentence: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of sentence.split(' ')) {
    if (line && line.length + 1 + word.length > MAX_LINE) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line].map((l) => (/^[.']/.test(l) ? `\\&${l}` : l));
}

/** `text` in bold, for names the user types literally (commands, flags, variables, paths). */
export function roffBold(text: string): string {
  return `\\fB${roffEscape(text)}\\fR`;
}

/** `text` in italics, for what the user replaces (URI, DIR ...). */
export function roffItalic(text: string): string {
  return `\\fI${roffEscape(text)}\\fR`;
}
