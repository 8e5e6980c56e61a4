// recvFds(socketFd, maxBytes, timeoutMs): on libuv's thread pool, waits up to timeoutMs for the
// socket to be readable, then one recvmsg() that keeps the descriptors arriving with the bytes
// (SCM_RIGHTS, close-on-exec). For a socket Node has not started reading (pauseOnConnect): Node
// reads with read(), which would drop descriptors (the kernel closes them).
#include "recv-fds.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace vsb {
namespace {

constexpr size_t kMaxFds = 16;

class RecvWorker : public Napi::AsyncWorker {
 public:
  RecvWorker(Napi::Env env, int sock, size_t max, int timeout)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), sock_(sock), max_(max), timeout_(timeout) {}

  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    struct pollfd p = {sock_, POLLIN, 0};
    int n;
    do {
      n = poll(&p, 1, timeout_);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
      errno_ = ETIMEDOUT;
      return;
    }
    data_.resize(max_);
    struct iovec iov = {data_.data(), data_.size()};
    std::vector<char> control(CMSG_SPACE(sizeof(int) * kMaxFds), 0);
    struct msghdr msg = {};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.data();
    msg.msg_controllen = control.size();
    ssize_t got;
    do {
      got = recvmsg(sock_, &msg, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
      errno_ = errno;
      return;
    }
    data_.resize(static_cast<size_t>(got));
    for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
      size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      const int* fds = reinterpret_cast<const int*>(CMSG_DATA(c));
      fds_.insert(fds_.end(), fds, fds + count);
    }
  }

  void OnOK() override {
    Napi::Env env = Env();
    if (errno_ != 0) {
      Napi::Error error = Napi::Error::New(env, std::string("recvmsg: ") + std::strerror(errno_));
      error.Set("errno", Napi::Number::New(env, errno_));
      deferred_.Reject(error.Value());
      return;
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("data", Napi::Buffer<uint8_t>::Copy(env, data_.data(), data_.size()));
    Napi::Array fds = Napi::Array::New(env, fds_.size());
    for (size_t i = 0; i < fds_.size(); i++) fds.Set(static_cast<uint32_t>(i), Napi::Number::New(env, fds_[i]));
    result.Set("fds", fds);
    deferred_.Resolve(result);
  }

 private:
  Napi::Promise::Deferred deferred_;
  int sock_;
  size_t max_;
  int timeout_;
  int errno_ = 0;
  std::vector<uint8_t> data_;
  std::vector<int> fds_;
};

Napi::Value RecvFds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, "recvFds(socketFd, maxBytes, timeoutMs): three numbers");
  }
  int64_t max = info[1].As<Napi::Number>().Int64Value();
  if (max < 1 || max > (1 << 24)) throw Napi::RangeError::New(env, "recvFds: maxBytes must be 1 .. 16 MiB");
  auto* worker = new RecvWorker(env, info[0].As<Napi::Number>().Int32Value(), static_cast<size_t>(max), info[2].As<Napi::Number>().Int32Value());
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace

void InitRecvFds(Napi::Env env, Napi::Object exports) {
  exports.Set("recvFds", Napi::Function::New<RecvFds>(env, "recvFds"));
}

}  // namespace vsb
