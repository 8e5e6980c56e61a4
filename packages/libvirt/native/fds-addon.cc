// Entry point of vsb_fds, the descriptor-passing addon: no libvirt in it, so `vsb exec` loads it
// in a millisecond (libvirt's library and its dependencies take ~30 ms to load here).
#include <napi.h>

#include "recv-fds.h"
#include "send-fds.h"

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  vsb::InitSendFds(env, exports);
  vsb::InitRecvFds(env, exports);
  return exports;
}

NODE_API_MODULE(vsb_fds, InitAddon)
