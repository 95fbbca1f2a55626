# Writes build_info.h with the version and the commit the sources are at,
# run at every build (not only at configure time), so a report's "commit"
# names the code that produced it. "-dirty" marks tracked files changed
# since that commit; "unknown" a tree without git. The header is replaced
# only when its text changes, so an unchanged tree rebuilds nothing.
#
#   cmake -DSRC_DIR=... -DIN=build_info.h.in -DOUT=build_info.h -DPROJECT_VERSION=... -P BuildInfo.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY ${SRC_DIR} OUTPUT_VARIABLE PG_GIT_COMMIT
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT PG_GIT_COMMIT)
  set(PG_GIT_COMMIT "unknown")
else()
  execute_process(COMMAND git status --porcelain --untracked-files=no
    WORKING_DIRECTORY ${SRC_DIR} OUTPUT_VARIABLE changes ERROR_QUIET)
  if(changes)
    set(PG_GIT_COMMIT "${PG_GIT_COMMIT}-dirty")
  endif()
endif()
configure_file(${IN} ${OUT}.tmp @ONLY)
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
file(REMOVE ${OUT}.tmp)
