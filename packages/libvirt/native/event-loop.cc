#include "event-loop.h"

#include <libvirt/libvirt.h>

#include <mutex>
#include <thread>

namespace vsb {

void EnsureEventLoop() {
  static std::once_flag once;
  std::call_once(once, [] {
    virEventRegisterDefaultImpl();
    std::thread([] {
      for (;;) virEventRunDefaultImpl();
    }).detach();
  });
}

}  // namespace vsb
