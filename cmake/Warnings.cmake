# Warnings as an interface target: every outagesim target links it, nothing
# edits CMAKE_CXX_FLAGS.
add_library(outagesim_warnings INTERFACE)
target_compile_options(outagesim_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${OUTAGESIM_WARNINGS_AS_ERRORS}>:-Werror>)
