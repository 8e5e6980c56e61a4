// A libvirt domain handle (virDomainPtr) as a JS object.
#pragma once
#include <napi.h>
#include <libvirt/libvirt.h>

#include <string>

namespace vsb {

class Connection;

class Domain : public Napi::ObjectWrap<Domain> {
 public:
  static void Init(Napi::Env env, Napi::Object exports);
  /** Wraps `dom` (taking its reference) as a domain of the connection object `conn`. */
  static Napi::Object Wrap(Napi::Env env, Napi::Object conn, virDomainPtr dom);

  explicit Domain(const Napi::CallbackInfo& info);
  ~Domain() override;

  /** Called by Connection::close: hands over the handle's reference; later calls reject. */
  virDomainPtr Detach();
  /** Called when the connection object goes away first (process teardown). */
  void Orphan() { owner_ = nullptr; }

 private:
  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value Uuid(const Napi::CallbackInfo& info);
  Napi::Value Destroy(const Napi::CallbackInfo& info);
  Napi::Value State(const Napi::CallbackInfo& info);
  Napi::Value XmlDesc(const Napi::CallbackInfo& info);
  Napi::Value OpenConsole(const Napi::CallbackInfo& info);
  /** A new reference (freed by the caller), or nullptr once the connection is closed. */
  virDomainPtr Acquire() const;

  virDomainPtr dom_ = nullptr;
  Connection* owner_ = nullptr;
  Napi::ObjectReference connRef_;  // keeps the connection object alive as long as this handle
  std::string name_;
  std::string uuid_;
};

}  // namespace vsb
