#include "console-stream.h"

#include <memory>

#include "connection.h"
#include "stream-writer.h"
#include "task.h"

namespace vsb {

struct ConsoleStream::Sink {
  Napi::ThreadSafeFunction tsfn;
  std::shared_ptr<EnvLife> life;
};

namespace {

constexpr int kAllEvents = VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP;

void DeliverEvents(Napi::Env env, Napi::Function fn, int* events) {
  if (env != nullptr && !fn.IsEmpty()) {
    try {
      fn.Call({Napi::Number::New(env, *events)});
    } catch (const Napi::Error&) {
      // The TS side turns its own failures into stream errors; nothing to add here.
    }
  }
  delete events;
}

void Notify(ConsoleStream::Sink* sink, int events) {
  std::shared_lock<std::shared_mutex> lock(sink->life->mutex);
  if (!sink->life->alive) return;
  auto* data = new int(events);
  if (sink->tsfn.NonBlockingCall(data, DeliverEvents) != napi_ok) delete data;
}

// Runs on libvirt's event thread. Interest is switched off until JS has drained the stream
// (recv() == -2 switches it back on): that is how a paused reader stops the flow.
void OnStreamEvent(virStreamPtr st, int events, void* opaque) {
  virStreamEventUpdateCallback(st, 0);
  Notify(static_cast<ConsoleStream::Sink*>(opaque), events);
}

void FreeSinkCallback(void* opaque) { ConsoleStream::FreeSink(static_cast<ConsoleStream::Sink*>(opaque)); }

}  // namespace

void ConsoleStream::Init(Napi::Env env, Napi::Object exports) {
  Napi::Function ctor = DefineClass(env, "NativeConsoleStream",
                                    {
                                        InstanceMethod<&ConsoleStream::Recv>("recv"),
                                        InstanceMethod<&ConsoleStream::Send>("send"),
                                        InstanceMethod<&ConsoleStream::SetRef>("setRef"),
                                        InstanceMethod<&ConsoleStream::Finish>("finish"),
                                        InstanceMethod<&ConsoleStream::Abort>("abort"),
                                    });
  Data(env)->streamCtor = Napi::Persistent(ctor);
}

ConsoleStream::Sink* ConsoleStream::NewSink(Napi::Env env, Napi::Function onEvent) {
  auto* sink = new Sink{Napi::ThreadSafeFunction::New(env, onEvent, "vsb:libvirt-console", 0, 1), Data(env)->life};
  sink->tsfn.Unref(env);
  return sink;
}

void ConsoleStream::FreeSink(Sink* sink) {
  if (sink == nullptr) return;
  {
    std::shared_lock<std::shared_mutex> lock(sink->life->mutex);
    if (sink->life->alive) sink->tsfn.Release();  // else Node already freed it
  }
  delete sink;
}

bool ConsoleStream::OpenBlocking(virDomainPtr dom, const char* devname, bool channel, Opened& out) {
  virStreamPtr st = virStreamNew(virDomainGetConnect(dom), VIR_STREAM_NONBLOCK);
  if (st == nullptr) return false;
  // Flags 0: VIR_DOMAIN_CONSOLE_FORCE is refused by the LXC driver.
  const int opened = channel ? virDomainOpenChannel(dom, devname, st, 0) : virDomainOpenConsole(dom, devname, st, 0);
  if (opened < 0 || virStreamEventAddCallback(st, kAllEvents, OnStreamEvent, out.sink, FreeSinkCallback) < 0) {
    PreservingError([st] {
      virStreamAbort(st);
      virStreamFree(st);
    });
    return false;
  }
  out.st = st;
  return true;
}

Napi::Object ConsoleStream::Wrap(Napi::Env env, Napi::Object conn, const Opened& opened) {
  return Data(env)->streamCtor.New({Napi::External<Opened>::New(env, const_cast<Opened*>(&opened)), conn});
}

ConsoleStream::ConsoleStream(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ConsoleStream>(info) {
  if (!info[0].IsExternal() || !info[1].IsObject()) {
    throw Napi::TypeError::New(info.Env(), "console streams come from openConsole()");
  }
  const Opened* opened = info[0].As<Napi::External<Opened>>().Data();
  st_ = opened->st;
  sink_ = opened->sink;
  connRef_ = Napi::Persistent(info[1].As<Napi::Object>());
  owner_ = Connection::Unwrap(info[1].As<Napi::Object>());
  if (owner_->closed()) {  // closed while the console was opening
    owner_ = nullptr;
    virStreamPtr st = Take();
    ReleaseOffThread([st] {
      virStreamAbort(st);
      virStreamFree(st);
    });
    throw MakeError(info.Env(), ClosedError(VIR_ERR_INVALID_STREAM, "connection"));
  }
  owner_->Track(this);
}

ConsoleStream::~ConsoleStream() {
  if (owner_ != nullptr) owner_->Untrack(this);
  virStreamPtr st = Take();
  if (st != nullptr && Data(Env())->life->alive) {  // garbage-collected while open
    ReleaseOffThread([st] {
      virStreamAbort(st);
      virStreamFree(st);
    });
  }
}

virStreamPtr ConsoleStream::Take() {
  virStreamPtr st = st_;
  st_ = nullptr;
  if (writer_ != nullptr) {
    writer_->Stop();
    writer_ = nullptr;
  }
  if (st != nullptr && sink_ != nullptr) {
    virStreamEventRemoveCallback(st);  // libvirt then frees the sink (releasing the TSFN)
    sink_ = nullptr;
  }
  return st;
}

virStreamPtr ConsoleStream::Detach() {
  if (sink_ != nullptr) Notify(sink_, VIR_STREAM_EVENT_HANGUP);  // so a waiting reader learns of it
  owner_ = nullptr;
  return Take();
}

Napi::Value ConsoleStream::Recv(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (st_ == nullptr) throw MakeError(env, ClosedError(VIR_ERR_INVALID_STREAM, "console stream"));
  if (!info[0].IsTypedArray()) throw Napi::TypeError::New(env, "recv(buffer): buffer must be a Uint8Array");
  auto buf = info[0].As<Napi::Uint8Array>();
  const size_t offset = info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 0;
  if (offset >= buf.ByteLength()) throw Napi::RangeError::New(env, "recv(buffer, offset): offset out of range");
  // Non-blocking: copies what the client already received, -2 when nothing is there yet.
  int n = virStreamRecv(st_, reinterpret_cast<char*>(buf.Data()) + offset, buf.ByteLength() - offset);
  if (n == -2) {
    virStreamEventUpdateCallback(st_, kAllEvents);  // drained: wake us when more arrives
  } else if (n < 0) {
    throw MakeError(env, TakeLastError("console stream read failed"));
  }
  return Napi::Number::New(env, n);
}

Napi::Value ConsoleStream::Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (st_ == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_STREAM, "console stream"));
  if (!info[0].IsTypedArray()) throw Napi::TypeError::New(env, "send(buffer): buffer must be a Uint8Array");
  if (writer_ == nullptr) {
    writer_ = StreamWriter::Start(env, st_);
    if (!ref_) writer_->SetRef(env, false);
  }
  return writer_->Send(env, info[0].As<Napi::Uint8Array>());
}

Napi::Value ConsoleStream::SetRef(const Napi::CallbackInfo& info) {
  const bool on = info[0].ToBoolean().Value();
  if (sink_ != nullptr && on != ref_) {
    if (on) {
      sink_->tsfn.Ref(info.Env());
    } else {
      sink_->tsfn.Unref(info.Env());
    }
    if (writer_ != nullptr) writer_->SetRef(info.Env(), on);
    ref_ = on;
  }
  return info.Env().Undefined();
}

Napi::Value ConsoleStream::Finish(const Napi::CallbackInfo& info) {
  if (owner_ != nullptr) owner_->Untrack(this);
  owner_ = nullptr;
  virStreamPtr st = Take();
  Job job;
  job.exec = [st] { return st == nullptr || virStreamFinish(st) == 0; };
  job.release = [st] {
    if (st != nullptr) virStreamFree(st);
  };
  return Task::Run(info.Env(), std::move(job));
}

Napi::Value ConsoleStream::Abort(const Napi::CallbackInfo& info) {
  if (owner_ != nullptr) owner_->Untrack(this);
  owner_ = nullptr;
  virStreamPtr st = Take();
  Job job;
  job.exec = [st] {
    if (st != nullptr) virStreamAbort(st);  // an already finished stream refuses: nothing to report
    return true;
  };
  job.release = [st] {
    if (st != nullptr) virStreamFree(st);
  };
  return Task::Run(info.Env(), std::move(job));
}

}  // namespace vsb
