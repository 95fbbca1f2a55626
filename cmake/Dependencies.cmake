# Finds paygraph's dependencies. A missing one stops the configure step and
# names the Debian package that provides it.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found. Install it: apt-get install pkg-config")
endif()

set(PG_DEP_TARGETS "")
function(pg_require_pc name module debpkg)
  pkg_check_modules(${name} IMPORTED_TARGET ${module})
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR "${module} not found. Install it: apt-get install ${debpkg}")
  endif()
  set(PG_DEP_TARGETS ${PG_DEP_TARGETS} PkgConfig::${name} PARENT_SCOPE)
endfunction()

pg_require_pc(IGRAPH  igraph     libigraph-dev)
pg_require_pc(HDF5    hdf5       libhdf5-dev)
pg_require_pc(CJSON   libcjson   libcjson-dev)
pg_require_pc(SODIUM  libsodium  libsodium-dev)
pg_require_pc(ZLIB    zlib       zlib1g-dev)

find_package(Threads REQUIRED)
list(APPEND PG_DEP_TARGETS Threads::Threads m)

if(PG_OPENMP)
  find_package(OpenMP)
  if(NOT OpenMP_C_FOUND)
    message(FATAL_ERROR "OpenMP not found. Install it: apt-get install libgomp1 (gcc) or libomp-dev (clang), or configure with -DPG_OPENMP=OFF")
  endif()
  list(APPEND PG_DEP_TARGETS OpenMP::OpenMP_C)
endif()

if(PG_TESTS)
  pkg_check_modules(CMOCKA IMPORTED_TARGET cmocka)
  if(NOT CMOCKA_FOUND)
    message(FATAL_ERROR "cmocka not found. Install it: apt-get install libcmocka-dev")
  endif()
endif()
