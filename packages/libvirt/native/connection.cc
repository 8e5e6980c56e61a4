#include "connection.h"

#include <cstdlib>
#include <memory>
#include <vector>

#include "console-stream.h"
#include "domain.h"
#include "task.h"

namespace vsb {

/** Carries lifecycle events from libvirt's event thread to the JS callback given to open(). */
struct LifecycleSink {
  Napi::ThreadSafeFunction tsfn;
  std::shared_ptr<EnvLife> life;
};

namespace {

struct LifecycleMessage {
  std::string name;
  std::string uuid;
  int event;
  int detail;
};

void DeliverLifecycle(Napi::Env env, Napi::Function fn, LifecycleMessage* m) {
  if (env != nullptr && !fn.IsEmpty()) {
    try {
      fn.Call({Napi::String::New(env, m->name), Napi::String::New(env, m->uuid), Napi::Number::New(env, m->event),
               Napi::Number::New(env, m->detail)});
    } catch (const Napi::Error&) {
      // The TS dispatcher isolates listener errors itself; nothing to do here.
    }
  }
  delete m;
}

// Runs on libvirt's event thread.
int OnLifecycle(virConnectPtr, virDomainPtr dom, int event, int detail, void* opaque) {
  auto* sink = static_cast<LifecycleSink*>(opaque);
  char uuid[VIR_UUID_STRING_BUFLEN] = "";
  virDomainGetUUIDString(dom, uuid);
  const char* name = virDomainGetName(dom);
  std::shared_lock<std::shared_mutex> lock(sink->life->mutex);
  if (!sink->life->alive) return 0;
  auto* m = new LifecycleMessage{name != nullptr ? name : "", uuid, event, detail};
  if (sink->tsfn.NonBlockingCall(m, DeliverLifecycle) != napi_ok) delete m;
  return 0;
}

// Called by libvirt once the callback is deregistered (or the connection disposed).
void FreeLifecycleSink(void* opaque) {
  auto* sink = static_cast<LifecycleSink*>(opaque);
  {
    std::shared_lock<std::shared_mutex> lock(sink->life->mutex);
    if (sink->life->alive) sink->tsfn.Release();  // else Node already freed it
  }
  delete sink;
}

struct OpenResult {
  virConnectPtr conn = nullptr;
  int callbackId = -1;
  LifecycleSink* sink = nullptr;
};

}  // namespace

void Connection::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "NativeConnection",
                                    {
                                        InstanceMethod<&Connection::Version>("version"),
                                        InstanceMethod<&Connection::Capabilities>("capabilities"),
                                        InstanceMethod<&Connection::ListDomains>("listDomains"),
                                        InstanceMethod<&Connection::CreateXML>("createXML"),
                                        InstanceMethod<&Connection::LookupByName>("lookupByName"),
                                        InstanceMethod<&Connection::LookupNetwork>("lookupNetwork"),
                                        InstanceMethod<&Connection::NWFilterExists>("nwfilterExists"),
                                        InstanceMethod<&Connection::ListPools>("listPools"),
                                        InstanceMethod<&Connection::DefinePool>("definePool"),
                                        InstanceMethod<&Connection::RemovePool>("removePool"),
                                        InstanceMethod<&Connection::CreateVolume>("createVolume"),
                                        InstanceMethod<&Connection::CleanDir>("cleanDir"),
                                        InstanceMethod<&Connection::DestroyPool>("destroyPool"),
                                        InstanceMethod<&Connection::SetEventsRef>("setEventsRef"),
                                        InstanceMethod<&Connection::Close>("close"),
                                    });
  Data(env)->connectionCtor = Napi::Persistent(ctor);
  exports.Set("open", Napi::Function::New<&Connection::Open>(env, "open"));
}

Napi::Value Connection::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[1].IsFunction()) throw Napi::TypeError::New(env, "open(uri, onLifecycle): onLifecycle must be a function");
  const bool hasUri = info[0].IsString();
  const std::string uri = hasUri ? info[0].As<Napi::String>().Utf8Value() : std::string();

  auto res = std::make_shared<OpenResult>();
  res->sink = new LifecycleSink{
      Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "vsb:libvirt-lifecycle", 0, 1), Data(env)->life};
  res->sink->tsfn.Unref(env);  // only listeners keep Node alive (see setEventsRef)

  Job job;
  job.exec = [res, uri, hasUri] {
    res->conn = virConnectOpen(hasUri ? uri.c_str() : nullptr);
    if (res->conn == nullptr) return false;
    // Registered at open, not on first listener: no event can slip between a subscription and a
    // createXML racing it on the thread pool.
    res->callbackId =
        virConnectDomainEventRegisterAny(res->conn, nullptr, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
                                         VIR_DOMAIN_EVENT_CALLBACK(OnLifecycle), res->sink, FreeLifecycleSink);
    if (res->callbackId < 0) {
      PreservingError([&] { virConnectClose(res->conn); });
      res->conn = nullptr;
      return false;
    }
    return true;
  };
  job.after = [res](bool ok) {
    if (!ok) {  // libvirt never took the sink
      res->sink->tsfn.Release();
      delete res->sink;
      res->sink = nullptr;
    }
  };
  job.settle = [res](Napi::Env env) -> Napi::Value {
    return Data(env)->connectionCtor.New({Napi::External<OpenResult>::New(env, res.get())});
  };
  return Task::Run(env, std::move(job));
}

Connection::Connection(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Connection>(info) {
  if (!info[0].IsExternal()) throw Napi::TypeError::New(info.Env(), "use open(uri) to create a connection");
  OpenResult* res = info[0].As<Napi::External<OpenResult>>().Data();
  conn_ = res->conn;
  callbackId_ = res->callbackId;
  sink_ = res->sink;
}

Connection::~Connection() {
  for (Domain* d : domains_) d->Orphan();
  for (ConsoleStream* s : streams_) s->Orphan();
  if (conn_ == nullptr) return;
  if (!Data(Env())->life->alive) return;  // Node is exiting: the process ends the connection
  // Garbage-collected without close(): release on another thread, as closing may do network I/O.
  virConnectPtr conn = conn_;
  int id = callbackId_;
  ReleaseOffThread([conn, id] {
    virConnectDomainEventDeregisterAny(conn, id);
    virConnectClose(conn);
  });
}

virConnectPtr Connection::Acquire() const {
  if (conn_ == nullptr) return nullptr;
  virConnectRef(conn_);
  return conn_;
}

Napi::Value Connection::Version(const Napi::CallbackInfo& info) {
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(info.Env(), ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto v = std::make_shared<unsigned long>(0);
  Job job;
  job.exec = [c, v] { return virConnectGetLibVersion(c, v.get()) == 0; };
  job.release = [c] { virConnectClose(c); };
  job.settle = [v](Napi::Env env) { return Napi::Number::New(env, static_cast<double>(*v)); };
  return Task::Run(info.Env(), std::move(job));
}

Napi::Value Connection::Capabilities(const Napi::CallbackInfo& info) {
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(info.Env(), ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto caps = std::make_shared<char*>(nullptr);
  Job job;
  job.exec = [c, caps] { return (*caps = virConnectGetCapabilities(c)) != nullptr; };
  job.release = [c] { virConnectClose(c); };
  job.settle = [caps](Napi::Env env) { return TakeString(env, *caps); };
  return Task::Run(info.Env(), std::move(job));
}

Napi::Value Connection::ListDomains(const Napi::CallbackInfo& info) {
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(info.Env(), ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto names = std::make_shared<std::vector<std::string>>();
  Job job;
  job.exec = [c, names] {
    virDomainPtr* doms = nullptr;
    int n = virConnectListAllDomains(c, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
    if (n < 0) return false;
    for (int i = 0; i < n; i++) {
      names->emplace_back(virDomainGetName(doms[i]));
      virDomainFree(doms[i]);
    }
    free(doms);
    return true;
  };
  job.release = [c] { virConnectClose(c); };
  job.settle = [names](Napi::Env env) -> Napi::Value { return StringArray(env, *names); };
  return Task::Run(info.Env(), std::move(job));
}

Napi::Value Connection::CreateXML(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "createXML(xml, flags): xml must be a string");
  const std::string xml = info[0].As<Napi::String>().Utf8Value();
  const unsigned int flags = info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 0;
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto dom = std::make_shared<virDomainPtr>(nullptr);
  auto self = std::make_shared<Napi::ObjectReference>(Napi::Persistent(info.This().As<Napi::Object>()));
  Job job;
  job.exec = [c, dom, xml, flags] { return (*dom = virDomainCreateXML(c, xml.c_str(), flags)) != nullptr; };
  job.release = [c] { virConnectClose(c); };
  job.settle = [dom, self](Napi::Env env) { return Domain::Wrap(env, self->Value(), *dom); };
  return Task::Run(env, std::move(job));
}

Napi::Value Connection::LookupByName(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "lookupByName(name): name must be a string");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto dom = std::make_shared<virDomainPtr>(nullptr);
  auto self = std::make_shared<Napi::ObjectReference>(Napi::Persistent(info.This().As<Napi::Object>()));
  Job job;
  job.exec = [c, dom, name] {
    *dom = virDomainLookupByName(c, name.c_str());
    if (*dom != nullptr) return true;
    virErrorPtr e = virGetLastError();
    if (e != nullptr && e->code == VIR_ERR_NO_DOMAIN) {
      virResetLastError();
      return true;  // absent: resolves null
    }
    return false;
  };
  job.release = [c] { virConnectClose(c); };
  job.settle = [dom, self](Napi::Env env) -> Napi::Value {
    if (*dom == nullptr) return env.Null();
    return Domain::Wrap(env, self->Value(), *dom);
  };
  return Task::Run(env, std::move(job));
}

Napi::Value Connection::SetEventsRef(const Napi::CallbackInfo& info) {
  const bool on = info[0].ToBoolean().Value();
  if (conn_ != nullptr && sink_ != nullptr && on != eventsRef_) {
    if (on) {
      sink_->tsfn.Ref(info.Env());
    } else {
      sink_->tsfn.Unref(info.Env());
    }
    eventsRef_ = on;
  }
  return info.Env().Undefined();
}

Napi::Value Connection::Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (conn_ == nullptr) return Task::Run(env, Job{[] { return true; }, nullptr, nullptr, nullptr});
  if (eventsRef_) sink_->tsfn.Unref(env);
  eventsRef_ = false;
  sink_ = nullptr;  // libvirt frees it once the callback is deregistered

  // Domains and streams hold references on the connection: drop them, or it would stay open
  // (and AUTODESTROY domains alive) until the garbage collector ran.
  auto streams = std::make_shared<std::vector<virStreamPtr>>();
  for (ConsoleStream* s : streams_) {
    virStreamPtr st = s->Detach();
    if (st != nullptr) streams->push_back(st);
  }
  streams_.clear();
  auto domains = std::make_shared<std::vector<virDomainPtr>>();
  for (Domain* d : domains_) {
    virDomainPtr dom = d->Detach();
    if (dom != nullptr) domains->push_back(dom);
  }
  domains_.clear();
  virConnectPtr conn = conn_;
  conn_ = nullptr;
  const int id = callbackId_;

  Job job;
  job.exec = [conn, id, streams, domains] {
    for (virStreamPtr st : *streams) {
      virStreamAbort(st);
      virStreamFree(st);
    }
    for (virDomainPtr d : *domains) virDomainFree(d);
    virConnectDomainEventDeregisterAny(conn, id);  // fails harmlessly when the link is already gone
    virResetLastError();
    return virConnectClose(conn) >= 0;
  };
  return Task::Run(env, std::move(job));
}

}  // namespace vsb
