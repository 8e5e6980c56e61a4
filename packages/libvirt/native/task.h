// Runs one blocking libvirt call on libuv's thread pool and settles a Promise with the result,
// turning libvirt's thread-local error into a LibvirtError.
#pragma once
#include <napi.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

namespace vsb {

/** A copy of a libvirt error, safe to carry from a worker thread to the main thread. */
struct LvError {
  int code = VIR_ERR_INTERNAL_ERROR;
  int domain = VIR_FROM_NONE;
  std::string message;
};

/** A JS array of the strings (names a listing call collected on the thread pool). */
Napi::Array StringArray(Napi::Env env, const std::vector<std::string>& items);

/** A JS string of one libvirt returned (malloc'd, "" for null), which it frees: the caller owned it. */
Napi::String TakeString(Napi::Env env, char* s);

/** True (and the error cleared) when libvirt's last error is `code`: an absent object, not a failure. */
bool LastErrorIs(int code);

/** Makes `err` the calling thread's error, for a failure of vsb's own (a local file) inside a job. */
void StashError(LvError err);

/** Takes (and clears) the calling thread's last libvirt error, or the one stashed before. */
LvError TakeLastError(const char* fallback = "libvirt call failed");

/**
 * Runs a cleanup call (which resets libvirt's last error) while keeping the error of the failed
 * call before it for TakeLastError.
 */
void PreservingError(const std::function<void()>& cleanup);

/** A LibvirtError instance (the constructor registered by the TS side), or a plain Error. */
Napi::Error MakeError(Napi::Env env, const LvError& err);

/** Runs libvirt's last-reference releases (which may do network I/O) off the main thread. */
void ReleaseOffThread(std::function<void()> release);

/** The error of calls on a handle whose connection was closed (libvirt's own code for it). */
LvError ClosedError(int code, const char* what);

/** A Promise already rejected with `err`, for calls on closed handles. */
Napi::Promise Rejected(Napi::Env env, const LvError& err);

/**
 * Whether this Node environment still exists. libvirt calls back on its own threads (events,
 * callback frees) and may do so while Node tears the environment down; thread-safe functions are
 * only touched under a shared lock while `alive`, and the environment's cleanup hook clears it.
 */
struct EnvLife {
  std::shared_mutex mutex;
  bool alive = true;
};

/** Per-addon-instance data: constructors of the wrapped classes and of LibvirtError. */
struct AddonData {
  std::shared_ptr<EnvLife> life = std::make_shared<EnvLife>();
  Napi::FunctionReference errorCtor;
  Napi::FunctionReference connectionCtor;
  Napi::FunctionReference domainCtor;
  Napi::FunctionReference streamCtor;
};
AddonData* Data(Napi::Env env);

/** The steps of one {@link Task}. */
struct Job {
  /** Thread pool: the blocking libvirt call; false when it failed (its error becomes the rejection). */
  std::function<bool()> exec;
  /** Thread pool, after the error was taken: drops the references `exec` used. */
  std::function<void()> release;
  /** Main thread, always, before settling; `ok` tells whether exec succeeded. */
  std::function<void(bool ok)> after;
  /** Main thread, on success: the resolved value (undefined when absent). */
  std::function<Napi::Value(Napi::Env)> settle;
};

/** An AsyncWorker settling a Promise with the outcome of one {@link Job}. */
class Task : public Napi::AsyncWorker {
 public:
  static Napi::Promise Run(Napi::Env env, Job job);

 protected:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error& e) override;

 private:
  Task(Napi::Env env, Job job);
  Napi::Promise::Deferred deferred_;
  Job job_;
  bool failed_ = false;
  LvError error_;
};

}  // namespace vsb
