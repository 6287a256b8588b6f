# Arrow C++ (arrow, parquet, S3) for pizzastream.
# Prefers a system Arrow (find_package(Arrow/Parquet)); otherwise takes the C++ libraries and
# headers bundled in the pinned pyarrow wheel of the project venv (scripts/bootstrap).
# Defines: pizzastream::arrow, pizzastream::parquet, pizzastream::arrow_s3 (may be empty),
# pizzastream::arrow_compute (Arrow >= 21 ships compute kernels, e.g. Cast, as their own library).

find_package(Arrow CONFIG QUIET)
find_package(Parquet CONFIG QUIET)
if(Arrow_FOUND AND Parquet_FOUND)
  message(STATUS "Arrow: system ${Arrow_VERSION}")
  add_library(pizzastream::arrow INTERFACE IMPORTED)
  target_link_libraries(pizzastream::arrow INTERFACE Arrow::arrow_shared)
  add_library(pizzastream::parquet INTERFACE IMPORTED)
  target_link_libraries(pizzastream::parquet INTERFACE Parquet::parquet_shared)
  add_library(pizzastream::arrow_s3 INTERFACE IMPORTED)
  add_library(pizzastream::arrow_compute INTERFACE IMPORTED)
  find_package(ArrowCompute CONFIG QUIET)
  if(ArrowCompute_FOUND)
    target_link_libraries(pizzastream::arrow_compute INTERFACE ArrowCompute::arrow_compute_shared)
  endif()
  return()
endif()

set(PIZZASTREAM_VENV "${CMAKE_SOURCE_DIR}/.venv" CACHE PATH "venv holding the pinned pyarrow wheel")
execute_process(
  COMMAND "${PIZZASTREAM_VENV}/bin/python" -c
          "import pyarrow as p; print(p.get_include()); print(p.get_library_dirs()[0]); print(p.__version__)"
  OUTPUT_VARIABLE _pa_out RESULT_VARIABLE _pa_rc OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _pa_rc EQUAL 0)
  message(FATAL_ERROR "No system Arrow and no pyarrow in ${PIZZASTREAM_VENV}: run scripts/bootstrap")
endif()
string(REPLACE "\n" ";" _pa_list "${_pa_out}")
list(GET _pa_list 0 PYARROW_INCLUDE_DIR)
list(GET _pa_list 1 PYARROW_LIB_DIR)
list(GET _pa_list 2 PYARROW_VERSION)
message(STATUS "Arrow: pyarrow wheel ${PYARROW_VERSION} at ${PYARROW_LIB_DIR}")

function(_pizzastream_wheel_lib target libname)
  find_library(_lib_${libname} NAMES ${libname} PATHS "${PYARROW_LIB_DIR}" NO_DEFAULT_PATH)
  if(NOT _lib_${libname})
    message(FATAL_ERROR "lib${libname}.so not found in ${PYARROW_LIB_DIR}: run scripts/bootstrap")
  endif()
  add_library(${target} SHARED IMPORTED GLOBAL)
  # The wheel's headers are marked SYSTEM so -Werror applies to our code only.
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION "${_lib_${libname}}"
                        INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${PYARROW_INCLUDE_DIR}"
                        INTERFACE_INCLUDE_DIRECTORIES "${PYARROW_INCLUDE_DIR}")
endfunction()
_pizzastream_wheel_lib(pizzastream::arrow arrow)
_pizzastream_wheel_lib(pizzastream::parquet parquet)
_pizzastream_wheel_lib(pizzastream::arrow_s3 arrow_s3)
_pizzastream_wheel_lib(pizzastream::arrow_compute arrow_compute)
target_link_libraries(pizzastream::arrow_compute INTERFACE pizzastream::arrow)
target_link_libraries(pizzastream::parquet INTERFACE pizzastream::arrow)
target_link_libraries(pizzastream::arrow_s3 INTERFACE pizzastream::arrow)
# The binaries find the wheel's libraries at run time without LD_LIBRARY_PATH.
set(CMAKE_BUILD_RPATH "${PYARROW_LIB_DIR}")
set(CMAKE_INSTALL_RPATH "${PYARROW_LIB_DIR}")
