// A non-blocking libvirt stream attached to a domain console, as a JS object. The TS Duplex on
// top of it pulls bytes with recv() when libvirt signals readiness and pushes with send().
#pragma once
#include <napi.h>
#include <libvirt/libvirt.h>

namespace vsb {

class Connection;
class StreamWriter;

class ConsoleStream : public Napi::ObjectWrap<ConsoleStream> {
 public:
  /** Carries stream events from libvirt's event thread to the JS callback. */
  struct Sink;
  /** What OpenBlocking produced, handed to Wrap on the main thread. */
  struct Opened {
    virStreamPtr st = nullptr;
    Sink* sink = nullptr;
  };

  static void Init(Napi::Env env, Napi::Object exports);
  /** Main thread: the event sink calling `onEvent(events)`; does not keep Node alive until setRef(true). */
  static Sink* NewSink(Napi::Env env, Napi::Function onEvent);
  /** Releases a sink libvirt never took (failed open). */
  static void FreeSink(Sink* sink);
  /**
   * Thread pool: new NONBLOCK stream + virDomainOpenConsole (or virDomainOpenChannel for a
   * `<channel>`, e.g. a QEMU virtio-serial port) + event callback.
   */
  static bool OpenBlocking(virDomainPtr dom, const char* devname, bool channel, Opened& out);
  /** Main thread: wraps an opened stream as a stream of the connection object `conn`. */
  static Napi::Object Wrap(Napi::Env env, Napi::Object conn, const Opened& opened);

  explicit ConsoleStream(const Napi::CallbackInfo& info);
  ~ConsoleStream() override;

  /** Called by Connection::close: wakes the JS side, stops events and hands over the stream. */
  virStreamPtr Detach();
  /** Called when the connection object goes away first (process teardown). */
  void Orphan() { owner_ = nullptr; }

 private:
  Napi::Value Recv(const Napi::CallbackInfo& info);
  Napi::Value Send(const Napi::CallbackInfo& info);
  Napi::Value SetRef(const Napi::CallbackInfo& info);
  Napi::Value Finish(const Napi::CallbackInfo& info);
  Napi::Value Abort(const Napi::CallbackInfo& info);
  /** Stops events and takes the stream out of this object (nullptr when already done). */
  virStreamPtr Take();

  virStreamPtr st_ = nullptr;
  Sink* sink_ = nullptr;  // owned by libvirt's callback registration
  StreamWriter* writer_ = nullptr;  // started on the first send, frees itself once stopped
  bool ref_ = false;
  Connection* owner_ = nullptr;
  Napi::ObjectReference connRef_;
};

}  // namespace vsb
