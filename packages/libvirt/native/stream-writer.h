// Sends console bytes on a thread of its own: virStreamSend waits until libvirt has written the
// packet to its socket, which stalls for as long as the guest does not read its console.
#pragma once
#include <napi.h>
#include <libvirt/libvirt.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "task.h"

namespace vsb {

class StreamWriter {
 public:
  /** Main thread: a writer for `st` (takes its own reference). Keeps Node alive until Stop/SetRef(false). */
  static StreamWriter* Start(Napi::Env env, virStreamPtr st);
  /** Main thread: queues `buf` (kept alive until sent); resolves with the bytes sent. */
  Napi::Promise Send(Napi::Env env, Napi::Uint8Array buf);
  /** Main thread: whether pending writes keep Node alive. */
  void SetRef(Napi::Env env, bool on);
  /**
   * Main thread: the thread rejects what is still queued, then frees itself; the caller must not
   * touch the writer afterwards. A send already in progress ends when libvirt lets it.
   */
  void Stop();

 private:
  struct Item;
  StreamWriter(Napi::Env env, virStreamPtr st);
  void Run();
  static void Complete(Napi::Env env, Napi::Function, Item* item);

  virStreamPtr st_;
  Napi::ThreadSafeFunction tsfn_;
  std::shared_ptr<EnvLife> life_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item*> queue_;
  bool stop_ = false;
};

}  // namespace vsb
