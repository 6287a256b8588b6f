// The dashboard's static files (page, script, style, chart library), compiled into the binary
// at build time by web/CMakeLists.txt from web/src and the npm-pinned chart library.
#pragma once

#include <span>
#include <string_view>

namespace pizzastream::serve {

struct WebAsset {
  std::string_view path;          // URL path, e.g. "/" or "/app.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view body;
};

// All bundled files; the views point to static storage.
std::span<const WebAsset> WebAssets();

}  // namespace pizzastream::serve
