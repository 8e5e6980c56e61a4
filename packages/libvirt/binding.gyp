{
  "targets": [
    {
      "target_name": "vsb_libvirt",
      "sources": [
        "native/addon.cc",
        "native/task.cc",
        "native/event-loop.cc",
        "native/connection.cc",
        "native/networks.cc",
        "native/storage.cc",
        "native/domain.cc",
        "native/console-stream.cc",
        "native/stream-writer.cc"
      ],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-cast-function-type"],
      "libraries": ["-lvirt"]
    },
    {
      "target_name": "vsb_fds",
      "sources": ["native/fds-addon.cc", "native/send-fds.cc", "native/recv-fds.cc"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Wno-cast-function-type"]
    }
  ]
}
