// recvFds(): bytes and the file descriptors that come with them on a unix socket (SCM_RIGHTS).
#pragma once

#include <napi.h>

namespace vsb {

void InitRecvFds(Napi::Env env, Napi::Object exports);

}  // namespace vsb
