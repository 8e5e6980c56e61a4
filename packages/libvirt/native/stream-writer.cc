#include "stream-writer.h"

#include <chrono>

#include "task.h"

namespace vsb {

struct StreamWriter::Item {
  napi_deferred deferred = nullptr;
  napi_ref keep = nullptr;  // the JS buffer, so its bytes stay valid while the thread sends them
  const char* data = nullptr;
  size_t length = 0;
  int result = 0;
  bool failed = false;
  LvError error;
};

StreamWriter::StreamWriter(Napi::Env env, virStreamPtr st) : st_(st), life_(Data(env)->life) {
  virStreamRef(st_);
  tsfn_ = Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}),
                                        "vsb:libvirt-console-write", 0, 1);
}

StreamWriter* StreamWriter::Start(Napi::Env env, virStreamPtr st) {
  auto* w = new StreamWriter(env, st);
  std::thread([w] { w->Run(); }).detach();
  return w;
}

Napi::Promise StreamWriter::Send(Napi::Env env, Napi::Uint8Array buf) {
  auto* item = new Item();
  napi_value promise;
  NAPI_THROW_IF_FAILED(env, napi_create_promise(env, &item->deferred, &promise), Napi::Promise());
  NAPI_THROW_IF_FAILED(env, napi_create_reference(env, buf, 1, &item->keep), Napi::Promise());
  item->data = reinterpret_cast<const char*>(buf.Data());
  item->length = buf.ByteLength();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(item);
  }
  wake_.notify_one();
  return Napi::Promise(env, promise);
}

void StreamWriter::SetRef(Napi::Env env, bool on) {
  if (on) {
    tsfn_.Ref(env);
  } else {
    tsfn_.Unref(env);
  }
}

void StreamWriter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
}

void StreamWriter::Run() {
  for (;;) {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopped and drained
    Item* item = queue_.front();
    queue_.pop_front();
    const bool stopping = stop_;
    lock.unlock();
    if (stopping) {
      item->failed = true;
      item->error = ClosedError(VIR_ERR_INVALID_STREAM, "console stream");
    } else {
      int n;
      while ((n = virStreamSend(st_, item->data, item->length)) == -2) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));  // not seen with remote streams
      }
      item->result = n;
      if (n < 0) {
        item->failed = true;
        item->error = TakeLastError("console stream write failed");
      }
    }
    std::shared_lock<std::shared_mutex> alive(life_->mutex);
    if (!life_->alive || tsfn_.NonBlockingCall(item, Complete) != napi_ok) delete item;  // Node is shutting down
  }
  {
    std::shared_lock<std::shared_mutex> alive(life_->mutex);
    if (life_->alive) tsfn_.Release();
  }
  virStreamFree(st_);
  delete this;
}

void StreamWriter::Complete(Napi::Env env, Napi::Function, Item* item) {
  if (env != nullptr) {
    if (item->failed) {
      napi_reject_deferred(env, item->deferred, MakeError(env, item->error).Value());
    } else {
      napi_resolve_deferred(env, item->deferred, Napi::Number::New(env, item->result));
    }
    napi_delete_reference(env, item->keep);
  }
  delete item;
}

}  // namespace vsb
