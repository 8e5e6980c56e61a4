import fs from 'node:fs';
import os from 'node:os';

/**
 * The host's online CPUs (`/sys/devices/system/cpu/online`, e.g. `0-3,6`), in order; what an LXC
 * sandbox's cpuset is chosen from.
 */
export function onlineCpus(text = readOnline()): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',').filter(Boolean)) {
    const [from, to = from] = part.split('-').map(Number);
    for (let cpu = from!; cpu <= to!; cpu++) cpus.push(cpu);
  }
  return cpus;
}

function readOnline(): string {
  try {
    return fs.readFileSync('/sys/devices/system/cpu/online', 'utf8');
  } catch {
    return `0-${os.cpus().length - 1}`;
  }
}

/**
 * `count` of the host's CPUs for one sandbox, as a libvirt cpuset (`1,2`): a window that starts at
 * a place the name picks, so sandboxes of one CPU each spread over the host instead of all sharing
 * CPU 0.
 */
export function cpusetFor(name: string, count: number, cpus: readonly number[]): string {
  let start = 0;
  for (const ch of name) start = (start * 31 + ch.charCodeAt(0)) >>> 0;
  return Array.from({ length: count }, (_, i) => cpus[(start + i) % cpus.length])
    .sort((a, b) => a! - b!)
    .join(',');
}
