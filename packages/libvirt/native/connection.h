// A libvirt connection (virConnectPtr) as a JS object; owns the lifecycle event subscription.
#pragma once
#include <napi.h>
#include <libvirt/libvirt.h>

#include <set>
#include <string>

namespace vsb {

class Domain;
class ConsoleStream;
struct LifecycleSink;

class Connection : public Napi::ObjectWrap<Connection> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);
  /** open(uri, onLifecycle(name, uuid, event, detail)) -> Promise<Connection> */
  static Napi::Value Open(const Napi::CallbackInfo& info);

  explicit Connection(const Napi::CallbackInfo& info);
  ~Connection() override;

  /** A new reference to the connection (the caller frees it), or nullptr once closed. */
  virConnectPtr Acquire() const;
  bool closed() const { return conn_ == nullptr; }

  // Handles created on this connection register here so close() can release them all: libvirt
  // keeps the real connection open while any domain or stream still references it.
  void Track(Domain* d) { domains_.insert(d); }
  void Untrack(Domain* d) { domains_.erase(d); }
  void Track(ConsoleStream* s) { streams_.insert(s); }
  void Untrack(ConsoleStream* s) { streams_.erase(s); }

 private:
  Napi::Value Version(const Napi::CallbackInfo& info);
  Napi::Value Capabilities(const Napi::CallbackInfo& info);
  Napi::Value ListDomains(const Napi::CallbackInfo& info);
  Napi::Value CreateXML(const Napi::CallbackInfo& info);
  Napi::Value LookupByName(const Napi::CallbackInfo& info);
  Napi::Value LookupNetwork(const Napi::CallbackInfo& info);
  Napi::Value NWFilterExists(const Napi::CallbackInfo& info);
  // Storage (storage.cc): the remote staging of a sandbox's files.
  Napi::Value ListPools(const Napi::CallbackInfo& info);
  Napi::Value DefinePool(const Napi::CallbackInfo& info);
  Napi::Value RemovePool(const Napi::CallbackInfo& info);
  Napi::Value CreateVolume(const Napi::CallbackInfo& info);
  Napi::Value CleanDir(const Napi::CallbackInfo& info);
  Napi::Value DestroyPool(const Napi::CallbackInfo& info);
  Napi::Value SetEventsRef(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  virConnectPtr conn_ = nullptr;
  LifecycleSink* sink_ = nullptr;  // owned by libvirt's callback registration once registered
  int callbackId_ = -1;
  bool eventsRef_ = false;
  std::set<Domain*> domains_;
  std::set<ConsoleStream*> streams_;
};

}  // namespace vsb
