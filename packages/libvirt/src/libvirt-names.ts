import type { DomainStateName, LifecycleEventName } from '@vsb/core';

/** virDomainEventType order: index = libvirt's number, so events arrive typed, not as magic numbers. */
const EVENT_NAMES: readonly LifecycleEventName[] = ['defined', 'undefined', 'started', 'suspended', 'resumed', 'stopped', 'shutdown', 'pmsuspended', 'crashed'];

/** virDomainEvent*DetailType names per event, lower case, index = libvirt's number. */
const DETAIL_NAMES: Readonly<Record<LifecycleEventName, readonly string[]>> = {
  defined: ['added', 'updated', 'renamed', 'from_snapshot'],
  undefined: ['removed', 'renamed'],
  started: ['booted', 'migrated', 'restored', 'from_snapshot', 'wakeup'],
  suspended: ['paused', 'migrated', 'ioerror', 'watchdog', 'restored', 'from_snapshot', 'api_error', 'postcopy', 'postcopy_failed'],
  resumed: ['unpaused', 'migrated', 'from_snapshot', 'postcopy', 'postcopy_failed'],
  stopped: ['shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from_snapshot'],
  shutdown: ['finished', 'guest', 'host'],
  pmsuspended: ['memory', 'disk'],
  crashed: ['panicked', 'crashloaded'],
};

/** virDomainState order, index = libvirt's number. */
const STATE_NAMES: readonly DomainStateName[] = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'];

/**
 * Name of a virDomainEventType number; numbers newer than this table come through as
 * `event-N` (typed as the union only for known ones) rather than being dropped.
 */
export function lifecycleEventName(event: number): LifecycleEventName {
  return EVENT_NAMES[event] ?? (`event-${event}` as LifecycleEventName);
}

/** Detail name of a lifecycle event (e.g. stopped/1 = 'destroyed'); unknown ones read `detail-N`. */
export function lifecycleDetailName(event: LifecycleEventName, detail: number): string {
  return DETAIL_NAMES[event]?.[detail] ?? `detail-${detail}`;
}

/** Name of a virDomainState number; unknown states map to 'nostate'. */
export function domainStateName(state: number): DomainStateName {
  return STATE_NAMES[state] ?? 'nostate';
}
