#include "task.h"

#include <cstdlib>
#include <optional>
#include <thread>

namespace vsb {

namespace {
thread_local std::optional<LvError> stashed;
}

void PreservingError(const std::function<void()>& cleanup) {
  LvError e = TakeLastError();
  cleanup();
  stashed = std::move(e);
}

Napi::Array StringArray(Napi::Env env, const std::vector<std::string>& items) {
  Napi::Array out = Napi::Array::New(env, items.size());
  for (uint32_t i = 0; i < items.size(); i++) out.Set(i, Napi::String::New(env, items[i]));
  return out;
}

Napi::String TakeString(Napi::Env env, char* s) {
  Napi::String out = Napi::String::New(env, s != nullptr ? s : "");
  free(s);
  return out;
}

bool LastErrorIs(int code) {
  virErrorPtr e = virGetLastError();
  if (e == nullptr || e->code != code) return false;
  virResetLastError();
  return true;
}

void StashError(LvError err) {
  virResetLastError();
  stashed = std::move(err);
}

LvError TakeLastError(const char* fallback) {
  if (stashed) {
    LvError out = std::move(*stashed);
    stashed.reset();
    virResetLastError();
    return out;
  }
  LvError out;
  virErrorPtr e = virGetLastError();
  if (e != nullptr && e->code != VIR_ERR_OK) {
    out.code = e->code;
    out.domain = e->domain;
    out.message = e->message != nullptr ? e->message : fallback;
  } else {
    out.message = fallback;
  }
  virResetLastError();
  return out;
}

AddonData* Data(Napi::Env env) { return env.GetInstanceData<AddonData>(); }

Napi::Error MakeError(Napi::Env env, const LvError& err) {
  AddonData* data = Data(env);
  if (data != nullptr && !data->errorCtor.IsEmpty()) {
    Napi::Object e = data->errorCtor.New(
        {Napi::String::New(env, err.message), Napi::Number::New(env, err.code), Napi::Number::New(env, err.domain)});
    return Napi::Error(env, e);
  }
  Napi::Error e = Napi::Error::New(env, err.message);
  e.Set("code", Napi::Number::New(env, err.code));
  e.Set("domain", Napi::Number::New(env, err.domain));
  return e;
}

Napi::Promise Rejected(Napi::Env env, const LvError& err) {
  auto d = Napi::Promise::Deferred::New(env);
  d.Reject(MakeError(env, err).Value());
  return d.Promise();
}

LvError ClosedError(int code, const char* what) {
  LvError e;
  e.code = code;
  e.domain = VIR_FROM_NONE;
  e.message = std::string(what) + " is closed";
  return e;
}

void ReleaseOffThread(std::function<void()> release) { std::thread(std::move(release)).detach(); }

Task::Task(Napi::Env env, Job job)
    : Napi::AsyncWorker(env, "vsb:libvirt"), deferred_(Napi::Promise::Deferred::New(env)), job_(std::move(job)) {}

Napi::Promise Task::Run(Napi::Env env, Job job) {
  auto* task = new Task(env, std::move(job));
  Napi::Promise promise = task->deferred_.Promise();
  task->Queue();
  return promise;
}

void Task::Execute() {
  stashed.reset();
  if (!job_.exec()) {
    failed_ = true;
    error_ = TakeLastError();
  }
  if (job_.release) job_.release();
  virResetLastError();
}

void Task::OnOK() {
  Napi::Env env = Env();
  try {
    if (job_.after) job_.after(!failed_);
    if (failed_) {
      deferred_.Reject(MakeError(env, error_).Value());
      return;
    }
    deferred_.Resolve(job_.settle ? job_.settle(env) : env.Undefined());
  } catch (const Napi::Error& e) {
    deferred_.Reject(e.Value());
  }
}

void Task::OnError(const Napi::Error& e) { deferred_.Reject(e.Value()); }

}  // namespace vsb
