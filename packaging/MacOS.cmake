# macOS: a DragNDrop DMG holding "Context Studio.app", with the Qt frameworks
# and every other non-system library deployed into the bundle by macdeployqt
# (included by CPackConfig.cmake). Built by .github/workflows/installers.yml.
#
# The bundle carries ctxdb too, in Contents/MacOS, so one drag installs both;
# `ln -s "/Applications/Context Studio.app/Contents/MacOS/ctxdb" /usr/local/bin/`
# puts it on PATH (README, "Install").
#
# app/CMakeLists.txt installs the plain programs to bin/ (components cli, gui);
# the DMG takes only the `bundle` component defined here, so that layout is
# unchanged on every platform.
set(CPACK_GENERATOR DragNDrop)
set(CPACK_COMPONENTS_ALL bundle)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_PACKAGING_INSTALL_PREFIX "/")
set(CPACK_DMG_VOLUME_NAME "Context Studio ${PROJECT_VERSION}")
set(CPACK_DMG_FORMAT UDZO)
set(CPACK_PACKAGE_ICON "${CTX_PACKAGING_DIR}/macos/context-studio.icns")
set(CPACK_PACKAGE_FILE_NAME "ContextStudio-${PROJECT_VERSION}-macOS-${CMAKE_SYSTEM_PROCESSOR}")

if(NOT CTX_BUILD_GUI)
  message(WARNING "The macOS DMG needs the GUI (CTX_BUILD_GUI=ON); no package this time")
  return()
endif()

set(CTX_BUNDLE_NAME "Context Studio")
set(icns "${CTX_PACKAGING_DIR}/macos/context-studio.icns")
target_sources(context-studio PRIVATE ${icns})
set_source_files_properties(${icns} TARGET_DIRECTORY context-studio
                            PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
string(TIMESTAMP ctx_year "%Y" UTC)
set_target_properties(context-studio PROPERTIES
  MACOSX_BUNDLE TRUE
  OUTPUT_NAME "${CTX_BUNDLE_NAME}"
  MACOSX_BUNDLE_INFO_PLIST "${CTX_PACKAGING_DIR}/macos/Info.plist.in"
  MACOSX_BUNDLE_BUNDLE_NAME "${CTX_BUNDLE_NAME}"
  MACOSX_BUNDLE_GUI_IDENTIFIER "${CTX_APP_ID}"
  MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
  MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}"
  MACOSX_BUNDLE_INFO_STRING "${CTX_BUNDLE_NAME} ${PROJECT_VERSION}"
  MACOSX_BUNDLE_ICON_FILE "context-studio.icns"
  MACOSX_BUNDLE_COPYRIGHT "© ${ctx_year} Context Studio developers")

find_program(CTX_MACDEPLOYQT macdeployqt HINTS "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS}"
             NO_DEFAULT_PATH REQUIRED)

# Library folders macdeployqt searches besides the programs' rpaths: libpq
# (Homebrew's keg), QScintilla and QtKeychain where CI installed them.
set(ctx_libpaths "")
foreach(lib IN ITEMS ${PostgreSQL_LIBRARY} ${QSCINTILLA_LIBRARY})
  get_filename_component(dir "${lib}" DIRECTORY)
  string(APPEND ctx_libpaths " \"-libpath=${dir}\"")
endforeach()
if(TARGET qt6keychain)
  get_target_property(keychain_location qt6keychain LOCATION)
  get_filename_component(dir "${keychain_location}" DIRECTORY)
  string(APPEND ctx_libpaths " \"-libpath=${dir}\"")
endif()

# Copy the bundle from the build tree, add ctxdb, then let macdeployqt copy
# Qt, the plugins (cocoa, styles, sqldrivers: qsqlite, qsqlpsql) and the other
# libraries into it, fix their install names and sign it ad hoc (Apple silicon
# refuses to run unsigned code).
install(CODE "
  set(app \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CTX_BUNDLE_NAME}.app\")
  file(REMOVE_RECURSE \"\${app}\")
  file(COPY \"$<TARGET_BUNDLE_DIR:context-studio>\" DESTINATION \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}\"
       USE_SOURCE_PERMISSIONS)
  file(COPY \"$<TARGET_FILE:ctxdb>\" DESTINATION \"\${app}/Contents/MacOS\" USE_SOURCE_PERMISSIONS)
  execute_process(
    COMMAND \"${CTX_MACDEPLOYQT}\" \"\${app}\" \"-executable=\${app}/Contents/MacOS/ctxdb\"
            -always-overwrite -codesign=- ${ctx_libpaths}
    COMMAND_ERROR_IS_FATAL ANY)
" COMPONENT bundle)
