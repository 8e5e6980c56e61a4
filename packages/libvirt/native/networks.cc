// The host's virtual networks and network filters that a sandbox's interfaces name, looked up
// (check-networks in @vsb/core) before the domain is created.
#include <memory>
#include <string>

#include "connection.h"
#include "task.h"

namespace vsb {

namespace {

/** What lookupNetwork reports about one virtual network. */
struct NetworkInfo {
  bool found = false;
  bool active = false;
  char* xml = nullptr;
};

}  // namespace

Napi::Value Connection::LookupNetwork(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "lookupNetwork(name): name must be a string");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto res = std::make_shared<NetworkInfo>();
  Job job;
  job.exec = [c, res, name] {
    virNetworkPtr net = virNetworkLookupByName(c, name.c_str());
    if (net == nullptr) return LastErrorIs(VIR_ERR_NO_NETWORK);  // absent: resolves null
    res->found = true;
    const int active = virNetworkIsActive(net);
    res->active = active == 1;
    res->xml = active < 0 ? nullptr : virNetworkGetXMLDesc(net, 0);
    const bool ok = active >= 0 && res->xml != nullptr;
    PreservingError([&] { virNetworkFree(net); });
    return ok;
  };
  job.release = [c] { virConnectClose(c); };
  job.settle = [res](Napi::Env env) -> Napi::Value {
    if (!res->found) return env.Null();
    Napi::Object out = Napi::Object::New(env);
    out.Set("active", Napi::Boolean::New(env, res->active));
    out.Set("xml", TakeString(env, res->xml));
    res->xml = nullptr;
    return out;
  };
  return Task::Run(env, std::move(job));
}

Napi::Value Connection::NWFilterExists(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "nwfilterExists(name): name must be a string");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto found = std::make_shared<bool>(false);
  Job job;
  job.exec = [c, found, name] {
    virNWFilterPtr f = virNWFilterLookupByName(c, name.c_str());
    if (f == nullptr) return LastErrorIs(VIR_ERR_NO_NWFILTER);
    *found = true;
    virNWFilterFree(f);
    return true;
  };
  job.release = [c] { virConnectClose(c); };
  job.settle = [found](Napi::Env env) -> Napi::Value { return Napi::Boolean::New(env, *found); };
  return Task::Run(env, std::move(job));
}

}  // namespace vsb
