// recvFds(socketFd, maxBytes, timeoutMs) -> { promise, cancel }: waits on Node's own event loop (a uv_poll on a duplicate
// of the descriptor, no thread) until the socket is readable, then one recvmsg() that keeps the
// descriptors arriving with the bytes (SCM_RIGHTS, close-on-exec). For a socket Node has not
// started reading (pauseOnConnect): Node reads with read(), which drops descriptors.
#include "recv-fds.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <uv.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace vsb {
namespace {

constexpr size_t kMaxFds = 16;

struct Receive {
  Napi::Env env;
  // Settled from a libuv callback: a callback scope runs the promise's reactions (microtasks) then.
  Napi::AsyncContext context;
  Napi::Promise::Deferred deferred;
  int fd;
  size_t max;
  uv_poll_t poll;
  uv_timer_t timer;
  int open_handles = 2;
  bool finishing = false;
  int error = 0;
  // Cleared when this is freed: what cancel() looks at.
  std::shared_ptr<Receive*> self = std::make_shared<Receive*>(this);
  std::vector<uint8_t> data;
  std::vector<int> fds;

  Receive(Napi::Env e, int dup, size_t m)
      : env(e), context(e, "vsb.recvFds"), deferred(Napi::Promise::Deferred::New(e)), fd(dup), max(m) {}

  void Read() {
    data.resize(max);
    struct iovec iov = {data.data(), data.size()};
    std::vector<char> control(CMSG_SPACE(sizeof(int) * kMaxFds), 0);
    struct msghdr msg = {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    ssize_t got;
    do {
      got = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
      error = errno;
      return;
    }
    data.resize(static_cast<size_t>(got));
    for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      const int* received = reinterpret_cast<const int*>(CMSG_DATA(c));
      fds.insert(fds.end(), received, received + (c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    }
  }

  // Both handles stop and close; the promise settles once they are closed (then this is freed).
  void Finish() {
    if (finishing) return;
    finishing = true;
    uv_poll_stop(&poll);
    uv_timer_stop(&timer);
    uv_close(reinterpret_cast<uv_handle_t*>(&poll), OnClosed);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), OnClosed);
  }

  static void OnClosed(uv_handle_t* handle) {
    auto* self = static_cast<Receive*>(handle->data);
    if (--self->open_handles == 0) self->Settle();
  }

  void Settle() {
    close(fd);
    {
      Napi::HandleScope handles(env);
      Napi::CallbackScope scope(env, context);
      if (error != 0) {
        Napi::Error e = Napi::Error::New(env, std::string("recvmsg: ") + std::strerror(error));
        e.Set("errno", Napi::Number::New(env, error));
        deferred.Reject(e.Value());
      } else {
        Napi::Object result = Napi::Object::New(env);
        result.Set("data", Napi::Buffer<uint8_t>::Copy(env, data.data(), data.size()));
        Napi::Array list = Napi::Array::New(env, fds.size());
        for (size_t i = 0; i < fds.size(); i++) list.Set(static_cast<uint32_t>(i), Napi::Number::New(env, fds[i]));
        result.Set("fds", list);
        deferred.Resolve(result);
      }
    }
    *self = nullptr;
    delete this;
  }
};

void OnReadable(uv_poll_t* handle, int status, int) {
  auto* r = static_cast<Receive*>(handle->data);
  if (status < 0)
    r->error = EIO;
  else
    r->Read();
  r->Finish();
}

void OnTimeout(uv_timer_t* handle) {
  auto* r = static_cast<Receive*>(handle->data);
  r->error = ETIMEDOUT;
  r->Finish();
}

Napi::Value RecvFds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "recvFds(socketFd, maxBytes, timeoutMs): three numbers");
  }
  int64_t max = info[1].As<Napi::Number>().Int64Value();
  int64_t timeout = info[2].As<Napi::Number>().Int64Value();
  if (max < 1 || max > (1 << 24) || timeout < 0)
    throw Napi::RangeError::New(env, "recvFds: maxBytes must be 1 .. 16 MiB, timeoutMs >= 0");
  // A duplicate: the poll handle must not share its descriptor number with Node's own handle.
  int dup = fcntl(info[0].As<Napi::Number>().Int32Value(), F_DUPFD_CLOEXEC, 0);
  if (dup < 0) throw Napi::Error::New(env, std::string("recvFds: ") + std::strerror(errno));
  uv_loop_t* loop = nullptr;
  napi_get_uv_event_loop(env, &loop);
  auto* r = new Receive(env, dup, static_cast<size_t>(max));
  Napi::Promise promise = r->deferred.Promise();
  uv_poll_init(loop, &r->poll, dup);
  uv_timer_init(loop, &r->timer);
  r->poll.data = r;
  r->timer.data = r;
  uv_poll_start(&r->poll, UV_READABLE | UV_DISCONNECT, OnReadable);
  uv_timer_start(&r->timer, OnTimeout, static_cast<uint64_t>(timeout), 0);
  std::shared_ptr<Receive*> handle = r->self;
  Napi::Object result = Napi::Object::New(env);
  result.Set("promise", promise);
  result.Set("cancel", Napi::Function::New(
                           env,
                           [handle](const Napi::CallbackInfo& cb) {
                             Receive* pending = *handle;
                             if (pending && !pending->finishing) {
                               pending->error = ECANCELED;
                               pending->Finish();
                             }
                             return cb.Env().Undefined();
                           },
                           "cancel"));
  return result;
}

}  // namespace

void InitRecvFds(Napi::Env env, Napi::Object exports) {
  exports.Set("recvFds", Napi::Function::New<RecvFds>(env, "recvFds"));
}

}  // namespace vsb
