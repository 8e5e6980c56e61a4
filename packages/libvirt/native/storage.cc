// Storage pools and volumes for staging a sandbox's files on a remote libvirt host: a dir pool of
// the run's own, its volumes uploaded over a stream, all removed afterwards (virt-install does the
// same for boot media it cannot reference by a local path).
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "connection.h"
#include "task.h"

namespace vsb {

namespace {

/** virStreamSendAll's source: the next bytes of the local file being uploaded. */
int ReadFile(virStreamPtr, char* data, size_t nbytes, void* opaque) {
  const int fd = *static_cast<int*>(opaque);
  ssize_t n;
  do n = read(fd, data, nbytes);
  while (n < 0 && errno == EINTR);
  return static_cast<int>(n);
}

/** Sends the whole of `file` into `vol` (a blocking stream on this worker thread). */
bool Upload(virConnectPtr c, virStorageVolPtr vol, const std::string& file) {
  const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    StashError({VIR_ERR_SYSTEM_ERROR, VIR_FROM_STORAGE, "cannot open " + file + ": " + strerror(errno)});
    return false;
  }
  struct stat st;
  virStreamPtr stream = fstat(fd, &st) == 0 ? virStreamNew(c, 0) : nullptr;
  bool ok =
      stream != nullptr && virStorageVolUpload(vol, stream, 0, static_cast<unsigned long long>(st.st_size), 0) == 0;
  if (ok) {
    int in = fd;
    ok = virStreamSendAll(stream, ReadFile, &in) == 0 && virStreamFinish(stream) == 0;
    if (!ok) PreservingError([&] { virStreamAbort(stream); });
  }
  if (stream != nullptr) PreservingError([&] { virStreamFree(stream); });
  close(fd);
  return ok;
}

/** Deletes every volume of an active pool (after a refresh: a restarted daemon knows none). */
bool DeleteVolumes(virStoragePoolPtr pool) {
  if (virStoragePoolRefresh(pool, 0) < 0) return false;
  virStorageVolPtr* vols = nullptr;
  const int n = virStoragePoolListAllVolumes(pool, &vols, 0);
  if (n < 0) return false;
  bool ok = true;
  for (int i = 0; i < n; i++) {
    if (ok && virStorageVolDelete(vols[i], 0) < 0) ok = false;
    PreservingError([&] { virStorageVolFree(vols[i]); });
  }
  free(vols);
  return ok;
}

/** The names of an active pool's volumes (after a refresh). */
bool VolumeNames(virStoragePoolPtr pool, std::vector<std::string>* names) {
  if (virStoragePoolRefresh(pool, 0) < 0) return false;
  virStorageVolPtr* vols = nullptr;
  const int n = virStoragePoolListAllVolumes(pool, &vols, 0);
  if (n < 0) return false;
  for (int i = 0; i < n; i++) {
    const char* name = virStorageVolGetName(vols[i]);
    if (name != nullptr) names->emplace_back(name);
    virStorageVolFree(vols[i]);
  }
  free(vols);
  return true;
}

}  // namespace

Napi::Value Connection::CleanDir(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !info[1].IsArray())
    throw Napi::TypeError::New(env, "cleanDir(poolXml, names): poolXml must be a string, names an array");
  const std::string xml = info[0].As<Napi::String>().Utf8Value();
  auto names = std::make_shared<std::vector<std::string>>();
  Napi::Array given = info[1].As<Napi::Array>();
  for (uint32_t i = 0; i < given.Length(); i++) names->push_back(given.Get(i).ToString().Utf8Value());
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto left = std::make_shared<std::vector<std::string>>();
  Job job;
  job.exec = [c, xml, names, left] {
    // Transient and never built: destroying it leaves the directory as it was.
    virStoragePoolPtr pool = virStoragePoolCreateXML(c, xml.c_str(), 0);
    if (pool == nullptr) return false;
    bool ok = true;
    for (const std::string& name : *names) {
      virStorageVolPtr vol = virStorageVolLookupByName(pool, name.c_str());
      if (vol == nullptr) {
        virResetLastError();  // not there (already gone, or a kind of file a pool does not list)
        continue;
      }
      if (virStorageVolDelete(vol, 0) < 0) ok = false;
      PreservingError([&] { virStorageVolFree(vol); });
      if (!ok) break;
    }
    ok = ok && VolumeNames(pool, left.get());
    PreservingError([&] {
      virStoragePoolDestroy(pool);
      virStoragePoolFree(pool);
    });
    return ok;
  };
  job.release = [c] { virConnectClose(c); };
  job.settle = [left](Napi::Env env) -> Napi::Value { return StringArray(env, *left); };
  return Task::Run(env, std::move(job));
}

Napi::Value Connection::DestroyPool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "destroyPool(name): name must be a string");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  Job job;
  job.exec = [c, name] {
    virStoragePoolPtr pool = virStoragePoolLookupByName(c, name.c_str());
    if (pool == nullptr) return LastErrorIs(VIR_ERR_NO_STORAGE_POOL);
    const bool ok = virStoragePoolDestroy(pool) == 0;
    PreservingError([&] { virStoragePoolFree(pool); });
    return ok;
  };
  job.release = [c] { virConnectClose(c); };
  return Task::Run(env, std::move(job));
}

Napi::Value Connection::ListPools(const Napi::CallbackInfo& info) {
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(info.Env(), ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto names = std::make_shared<std::vector<std::string>>();
  Job job;
  job.exec = [c, names] {
    virStoragePoolPtr* pools = nullptr;
    const int n = virConnectListAllStoragePools(c, &pools, 0);
    if (n < 0) return false;
    for (int i = 0; i < n; i++) {
      const char* name = virStoragePoolGetName(pools[i]);
      if (name != nullptr) names->emplace_back(name);
      virStoragePoolFree(pools[i]);
    }
    free(pools);
    return true;
  };
  job.release = [c] { virConnectClose(c); };
  job.settle = [names](Napi::Env env) -> Napi::Value { return StringArray(env, *names); };
  return Task::Run(info.Env(), std::move(job));
}

Napi::Value Connection::DefinePool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "definePool(xml): xml must be a string");
  const std::string xml = info[0].As<Napi::String>().Utf8Value();
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  Job job;
  job.exec = [c, xml] {
    virStoragePoolPtr pool = virStoragePoolDefineXML(c, xml.c_str(), 0);
    if (pool == nullptr) return false;
    bool built = false;
    const bool ok = (built = virStoragePoolBuild(pool, 0) == 0) && virStoragePoolCreate(pool, 0) == 0;
    if (!ok)
      PreservingError([&] {
        if (built) virStoragePoolDelete(pool, 0);
        virStoragePoolUndefine(pool);
      });
    PreservingError([&] { virStoragePoolFree(pool); });
    return ok;
  };
  job.release = [c] { virConnectClose(c); };
  return Task::Run(env, std::move(job));
}

Napi::Value Connection::RemovePool(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) throw Napi::TypeError::New(env, "removePool(name): name must be a string");
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto found = std::make_shared<bool>(false);
  Job job;
  job.exec = [c, name, found] {
    virStoragePoolPtr pool = virStoragePoolLookupByName(c, name.c_str());
    if (pool == nullptr) return LastErrorIs(VIR_ERR_NO_STORAGE_POOL);  // absent: resolves false
    *found = true;
    // An inactive pool (its daemon restarted) is started again so its volumes can be listed.
    const int active = virStoragePoolIsActive(pool);
    const bool ok = active >= 0 && (active == 1 || virStoragePoolCreate(pool, 0) == 0) && DeleteVolumes(pool) &&
                    virStoragePoolDestroy(pool) == 0 && virStoragePoolDelete(pool, 0) == 0 &&
                    virStoragePoolUndefine(pool) == 0;
    PreservingError([&] { virStoragePoolFree(pool); });
    return ok;
  };
  job.release = [c] { virConnectClose(c); };
  job.settle = [found](Napi::Env env) -> Napi::Value { return Napi::Boolean::New(env, *found); };
  return Task::Run(env, std::move(job));
}

Napi::Value Connection::CreateVolume(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !info[1].IsString())
    throw Napi::TypeError::New(env, "createVolume(pool, xml, file): pool and xml must be strings");
  const std::string poolName = info[0].As<Napi::String>().Utf8Value();
  const std::string xml = info[1].As<Napi::String>().Utf8Value();
  const bool hasFile = info[2].IsString();
  const std::string file = hasFile ? info[2].As<Napi::String>().Utf8Value() : std::string();
  virConnectPtr c = Acquire();
  if (c == nullptr) return Rejected(env, ClosedError(VIR_ERR_INVALID_CONN, "connection"));
  auto volPath = std::make_shared<std::string>();
  Job job;
  job.exec = [c, poolName, xml, hasFile, file, volPath] {
    virStoragePoolPtr pool = virStoragePoolLookupByName(c, poolName.c_str());
    if (pool == nullptr) return false;
    virStorageVolPtr vol = virStorageVolCreateXML(pool, xml.c_str(), 0);
    PreservingError([&] { virStoragePoolFree(pool); });
    if (vol == nullptr) return false;
    char* p = nullptr;
    bool ok = (!hasFile || Upload(c, vol, file)) && (p = virStorageVolGetPath(vol)) != nullptr;
    if (p != nullptr) *volPath = p;
    free(p);
    if (!ok) PreservingError([&] { virStorageVolDelete(vol, 0); });
    PreservingError([&] { virStorageVolFree(vol); });
    return ok;
  };
  job.release = [c] { virConnectClose(c); };
  job.settle = [volPath](Napi::Env env) -> Napi::Value { return Napi::String::New(env, *volPath); };
  return Task::Run(env, std::move(job));
}

}  // namespace vsb
