// sendFds(): file descriptors over a unix socket (SCM_RIGHTS), for a local sandbox's stdio.
#pragma once

#include <napi.h>

namespace vsb {

void InitSendFds(Napi::Env env, Napi::Object exports);

}  // namespace vsb
