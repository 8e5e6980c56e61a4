#include "domain.h"

#include <cstdlib>
#include <memory>

#include "connection.h"
#include "console-stream.h"
#include "task.h"

namespace vsb {

void Domain::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "NativeDomain",
                                    {
                                        InstanceAccessor<&Domain::Name>("name"),
                                        InstanceAccessor<&Domain::Uuid>("uuid"),
                                        InstanceMethod<&Domain::Destroy>("destroy"),
                                        InstanceMethod<&Domain::State>("state"),
                                        InstanceMethod<&Domain::XmlDesc>("xmlDesc"),
                                        InstanceMethod<&Domain::OpenConsole>("openConsole"),
                                    });
  Data(env)->domainCtor = Napi::Persistent(ctor);
}

Napi::Object Domain::Wrap(Napi::Env env, Napi::Object conn, virDomainPtr dom) {
  if (Connection::Unwrap(conn)->closed()) {
    ReleaseOffThread([dom] { virDomainFree(dom); });
    throw MakeError(env, ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  }
  return Data(env)->domainCtor.New({Napi::External<virDomain>::New(env, dom), conn});
}

Domain::Domain(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Domain>(info) {
  if (!info[0].IsExternal() || !info[1].IsObject()) {
    throw Napi::TypeError::New(info.Env(), "domains come from createXML() or lookupByName()");
  }
  dom_ = info[0].As<Napi::External<virDomain>>().Data();
  connRef_ = Napi::Persistent(info[1].As<Napi::Object>());
  owner_ = Connection::Unwrap(info[1].As<Napi::Object>());
  owner_->Track(this);
  const char* name = virDomainGetName(dom_);  // both cached in the handle: no I/O
  name_ = name != nullptr ? name : "";
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  virDomainGetUUIDString(dom_, uuid);
  uuid_ = uuid;
}

Domain::~Domain() {
  if (owner_ != nullptr) owner_->Untrack(this);
  // Not the connection's last reference while it is open (the connection holds one), so no I/O.
  if (dom_ != nullptr) virDomainFree(dom_);
}

virDomainPtr Domain::Detach() {
  virDomainPtr dom = dom_;
  dom_ = nullptr;
  owner_ = nullptr;
  return dom;
}

virDomainPtr Domain::Acquire() const {
  if (dom_ == nullptr) return nullptr;
  virDomainRef(dom_);
  return dom_;
}

Napi::Value Domain::Name(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), name_); }
Napi::Value Domain::Uuid(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), uuid_); }

Napi::Value Domain::Destroy(const Napi::CallbackInfo& info) {
  virDomainPtr d = Acquire();
  if (d == nullptr) return Rejected(info.Env(), ClosedError(VIR_ERR_INVALID_DOMAIN, "domain's connection"));
  Job job;
  job.exec = [d] { return virDomainDestroy(d) == 0; };
  job.release = [d] { virDomainFree(d); };
  return Task::Run(info.Env(), std::move(job));
}

Napi::Value Domain::State(const Napi::CallbackInfo& info) {
  virDomainPtr d = Acquire();
  if (d == nullptr) return Rejected(info.Env(), ClosedError(VIR_ERR_INVALID_DOMAIN, "domain's connection"));
  auto state = std::make_shared<int>(VIR_DOMAIN_NOSTATE);
  Job job;
  job.exec = [d, state] {
    int reason = 0;
    return virDomainGetState(d, state.get(), &reason, 0) == 0;
  };
  job.release = [d] { virDomainFree(d); };
  job.settle = [state](Napi::Env env) { return Napi::Number::New(env, *state); };
  return Task::Run(info.Env(), std::move(job));
}

Napi::Value Domain::XmlDesc(const Napi::CallbackInfo& info) {
  virDomainPtr d = Acquire();
  if (d == nullptr) return Rejected(info.Env(), ClosedError(VIR_ERR_INVALID_DOMAIN, "domain's connection"));
  const unsigned int flags = info[0].IsNumber() ? info[0].As<Napi::Number>().Uint32Value() : 0;
  auto xml = std::make_shared<char*>(nullptr);
  Job job;
  job.exec = [d, xml, flags] { return (*xml = virDomainGetXMLDesc(d, flags)) != nullptr; };
  job.release = [d] { virDomainFree(d); };
  job.settle = [xml](Napi::Env env) {
    Napi::String s = Napi::String::New(env, *xml);
    free(*xml);
    return s;
  };
  return Task::Run(info.Env(), std::move(job));
}

Napi::Value Domain::OpenConsole(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[1].IsFunction())
    throw Napi::TypeError::New(env, "openConsole(devname, onEvent, channel): onEvent must be a function");
  const bool hasDev = info[0].IsString();
  const bool channel = info[2].IsBoolean() && info[2].As<Napi::Boolean>().Value();
  const std::string dev = hasDev ? info[0].As<Napi::String>().Utf8Value() : std::string();
  virDomainPtr d = Acquire();
  if (d == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_DOMAIN, "domain's connection"));
  auto opened = std::make_shared<ConsoleStream::Opened>();
  opened->sink = ConsoleStream::NewSink(env, info[1].As<Napi::Function>());
  auto conn = std::make_shared<Napi::ObjectReference>(Napi::Persistent(connRef_.Value()));
  Job job;
  job.exec = [d, dev, hasDev, channel, opened] {
    return ConsoleStream::OpenBlocking(d, hasDev ? dev.c_str() : nullptr, channel, *opened);
  };
  job.release = [d] { virDomainFree(d); };
  job.after = [opened](bool ok) {
    if (!ok) ConsoleStream::FreeSink(opened->sink);
  };
  job.settle = [opened, conn](Napi::Env env) { return ConsoleStream::Wrap(env, conn->Value(), *opened); };
  return Task::Run(env, std::move(job));
}

}  // namespace vsb
