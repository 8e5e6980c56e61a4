// libvirt's default event loop, run by one native thread for the whole process.
#pragma once

namespace vsb {

/**
 * Registers libvirt's default event implementation and starts the thread running it, once per
 * process, before the first connection (libvirt requires that order for events and streams).
 * The thread is detached and holds no libuv handle, so it never keeps Node alive.
 */
void EnsureEventLoop();

}  // namespace vsb
