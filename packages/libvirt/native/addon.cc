// Entry point of the vsb libvirt addon: silences libvirt's own error printing, starts the event
// loop and registers the wrapped classes.
#include <napi.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "connection.h"
#include "console-stream.h"
#include "domain.h"
#include "event-loop.h"
#include "task.h"

namespace vsb {
namespace {

// Errors reach JS as LibvirtError; libvirt must not also print them on stderr.
void SilentErrorHandler(void*, virErrorPtr) {}

Napi::Value SetErrorConstructor(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction())
    throw Napi::TypeError::New(info.Env(), "setErrorConstructor(ctor): ctor must be a function");
  Data(info.Env())->errorCtor = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value LibraryVersion(const Napi::CallbackInfo& info) {
  unsigned long v = 0;
  virGetVersion(&v, nullptr, nullptr);
  return Napi::Number::New(info.Env(), static_cast<double>(v));
}

}  // namespace
}  // namespace vsb

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  using namespace vsb;
  if (virInitialize() < 0) throw Napi::Error::New(env, "virInitialize failed");
  virSetErrorFunc(nullptr, SilentErrorHandler);
  EnsureEventLoop();
  auto* data = new AddonData();
  env.SetInstanceData(data);
  // Runs before Node finalizes our objects and frees thread-safe functions at teardown.
  auto* life = new std::shared_ptr<EnvLife>(data->life);
  napi_add_env_cleanup_hook(
      env,
      [](void* arg) {
        auto* l = static_cast<std::shared_ptr<EnvLife>*>(arg);
        {
          std::unique_lock<std::shared_mutex> lock((*l)->mutex);
          (*l)->alive = false;
        }
        delete l;
      },
      life);
  Connection::Init(env, exports);
  Domain::Init(env, exports);
  ConsoleStream::Init(env, exports);
  exports.Set("setErrorConstructor", Napi::Function::New<SetErrorConstructor>(env, "setErrorConstructor"));
  exports.Set("libraryVersion", Napi::Function::New<LibraryVersion>(env, "libraryVersion"));
  return exports;
}

NODE_API_MODULE(vsb_libvirt, InitAddon)
