// sendFds(socketFd, data, fds): one sendmsg() of `data` with `fds` attached as SCM_RIGHTS, so a
// local sandbox's init receives the host's stdio descriptors themselves (Node has no API for it).
#include "send-fds.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

namespace vsb {
namespace {

Napi::Value SendFds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || !info[1].IsTypedArray() || !info[2].IsArray()) {
    throw Napi::TypeError::New(env, "sendFds(socketFd, data, fds): a number, a Uint8Array and an array of numbers");
  }
  int sock = info[0].As<Napi::Number>().Int32Value();
  auto data = info[1].As<Napi::Uint8Array>();
  auto list = info[2].As<Napi::Array>();
  std::vector<int> fds;
  for (uint32_t i = 0; i < list.Length(); i++) fds.push_back(list.Get(i).As<Napi::Number>().Int32Value());
  if (data.ByteLength() == 0 || fds.empty() || fds.size() > 16) {
    throw Napi::RangeError::New(env, "sendFds: data must not be empty and fds must hold 1 to 16 descriptors");
  }
  struct iovec iov = {data.Data(), data.ByteLength()};
  std::vector<char> control(CMSG_SPACE(sizeof(int) * fds.size()), 0);
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.data();
  msg.msg_controllen = control.size();
  struct cmsghdr* cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
  std::memcpy(CMSG_DATA(cmsg), fds.data(), sizeof(int) * fds.size());
  ssize_t n;
  do {
    n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    Napi::Error error = Napi::Error::New(env, std::string("sendmsg: ") + std::strerror(errno));
    error.Set("errno", Napi::Number::New(env, errno));
    throw error;
  }
  return Napi::Number::New(env, static_cast<double>(n));
}

}  // namespace

void InitSendFds(Napi::Env env, Napi::Object exports) {
  exports.Set("sendFds", Napi::Function::New<SendFds>(env, "sendFds"));
}

}  // namespace vsb
