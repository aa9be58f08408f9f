# Windows: an NSIS installer (and a ZIP) with the Qt runtime deployed by
# windeployqt (included by CPackConfig.cmake). Built by .github/workflows/installers.yml.
#
# Layout under the install folder (default C:\Program Files\Context Studio):
#   bin\context-studio.exe, bin\ctxdb.exe, the Qt DLLs and plugins beside them
#   (platforms\, sqldrivers\, styles\ ...), and the non-Qt DLLs both need
#   (libpq and its OpenSSL, SQLite, QScintilla, QtKeychain, the compiler runtime).
set(CPACK_GENERATOR NSIS ZIP)

if(CTX_BUILD_GUI)
  # A GUI program: no console window. Icon and version resource from packaging/.
  set(CTX_WINDOWS_ICON "${CTX_PACKAGING_DIR}/windows/context-studio.ico")
  configure_file(${CTX_PACKAGING_DIR}/windows/context-studio.rc.in
                 ${CTX_GENERATED_DIR}/context-studio.rc @ONLY)
  set_target_properties(context-studio PROPERTIES WIN32_EXECUTABLE TRUE)
  target_sources(context-studio PRIVATE ${CTX_GENERATED_DIR}/context-studio.rc)
endif()

# Deployment, per component into that component's staging folder: first the
# non-Qt DLLs, found by walking the programs' imports through the folders their
# libraries came from (Windows' own DLLs left out); then windeployqt on the
# programs and those DLLs (QScintilla needs Qt PrintSupport, which the programs
# do not import themselves), which copies the Qt DLLs, the plugins (platforms,
# styles, sqldrivers: qsqlite, qsqlpsql) and the compiler runtime.
find_program(CTX_WINDEPLOYQT windeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}"
             NO_DEFAULT_PATH REQUIRED)
set(ctx_dll_dirs "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}")
get_filename_component(dir "${CMAKE_CXX_COMPILER}" DIRECTORY)
list(APPEND ctx_dll_dirs "${dir}")
foreach(lib IN ITEMS ${PostgreSQL_LIBRARY} ${SQLite3_LIBRARY} ${QSCINTILLA_LIBRARY})
  get_filename_component(dir "${lib}" DIRECTORY)
  list(APPEND ctx_dll_dirs "${dir}" "${dir}/../bin")
endforeach()
if(TARGET qt6keychain)
  get_target_property(keychain_location qt6keychain LOCATION)
  get_filename_component(dir "${keychain_location}" DIRECTORY)
  list(APPEND ctx_dll_dirs "${dir}" "${dir}/../bin")
endif()
list(REMOVE_DUPLICATES ctx_dll_dirs)
# MinGW binaries are read with the toolchain's objdump (MSVC's with dumpbin, the default).
set(ctx_dependency_tool "")
if(MINGW)
  set(ctx_dependency_tool "set(CMAKE_GET_RUNTIME_DEPENDENCIES_TOOL objdump)
    set(CMAKE_GET_RUNTIME_DEPENDENCIES_COMMAND \"${CMAKE_OBJDUMP}\")")
endif()
list(TRANSFORM ctx_dll_dirs REPLACE "(.+)" "\"\\1\"")
list(JOIN ctx_dll_dirs " " ctx_dll_dirs)

function(ctx_windows_deploy component)
  set(programs "")
  foreach(target IN LISTS ARGN)
    string(APPEND programs " \"$<TARGET_FILE:${target}>\"")
  endforeach()
  install(CODE "
    ${ctx_dependency_tool}
    set(bin \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin\")
    file(GET_RUNTIME_DEPENDENCIES
         EXECUTABLES ${programs}
         RESOLVED_DEPENDENCIES_VAR resolved
         UNRESOLVED_DEPENDENCIES_VAR unresolved
         CONFLICTING_DEPENDENCIES_PREFIX conflict
         DIRECTORIES ${ctx_dll_dirs}
         PRE_EXCLUDE_REGEXES [[^api-ms-]] [[^ext-ms-]] [[^[Qq]t6]]
         POST_EXCLUDE_REGEXES [[.*[/\\\\][Ss]ystem32[/\\\\].*]] [[.*[/\\\\]Windows[/\\\\].*]])
    # A DLL found in two folders (libwinpthread in Qt's MinGW and in MSYS2):
    # take the first, in the order of DIRECTORIES (Qt and the compiler first).
    foreach(name IN LISTS conflict_FILENAMES)
      list(GET conflict_\${name} 0 first)
      list(APPEND resolved \"\${first}\")
    endforeach()
    foreach(dll IN LISTS unresolved)
      message(WARNING \"not deployed, not found: \${dll}\")
    endforeach()
    file(INSTALL \${resolved} DESTINATION \"\${bin}\")
    set(qt_users \"\")
    foreach(dll IN LISTS resolved)
      get_filename_component(name \"\${dll}\" NAME)
      if(name MATCHES [[^(lib)?(qscintilla|qt6keychain)]])
        list(APPEND qt_users \"\${bin}/\${name}\")
      endif()
    endforeach()
    execute_process(
      COMMAND \"${CTX_WINDEPLOYQT}\" --release --no-translations --no-system-d3d-compiler
              --dir \"\${bin}\" ${programs} \${qt_users}
      COMMAND_ERROR_IS_FATAL ANY)
  " COMPONENT ${component})
endfunction()
ctx_windows_deploy(cli ctxdb)
if(CTX_BUILD_GUI)
  ctx_windows_deploy(gui context-studio)
endif()

# The installer.
set(CPACK_PACKAGE_ICON "${CTX_PACKAGING_DIR}/windows/context-studio.ico")
set(CPACK_NSIS_MUI_ICON "${CTX_PACKAGING_DIR}/windows/context-studio.ico")
set(CPACK_NSIS_MUI_UNIICON "${CTX_PACKAGING_DIR}/windows/context-studio.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\context-studio.exe")
set(CPACK_NSIS_DISPLAY_NAME "Context Studio ${PROJECT_VERSION}")
set(CPACK_NSIS_PACKAGE_NAME "Context Studio")
set(CPACK_NSIS_URL_INFO_ABOUT "${CPACK_PACKAGE_HOMEPAGE_URL}")
set(CPACK_NSIS_CONTACT "${CTX_PACKAGE_CONTACT}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# Offers to put bin\ on PATH so that `ctxdb` works in a terminal.
set(CPACK_NSIS_MODIFY_PATH ON)
set(CPACK_NSIS_EXECUTABLES_DIRECTORY bin)
if(CTX_BUILD_GUI)
  set(CPACK_PACKAGE_EXECUTABLES "context-studio" "Context Studio")
  set(CPACK_CREATE_DESKTOP_LINKS "context-studio")
  set(CPACK_NSIS_MUI_FINISHPAGE_RUN "context-studio.exe")
endif()
