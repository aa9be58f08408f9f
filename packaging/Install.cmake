# Install rules for everything that is not a target: desktop integration, man
# pages, shell completion and the Debian documentation files. The targets'
# own rules live in app/CMakeLists.txt (components `cli` and `gui`).
#
# Every generated file takes its version from project(VERSION) and its date from
# SOURCE_DATE_EPOCH when set (scripts/package and CI set it to the last commit),
# so the same commit always produces the same files.
include(GNUInstallDirs)

set(CTX_APP_ID "org.contextstudio.ContextStudio")
set(CTX_PACKAGING_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(CTX_ICON_DIR "${PROJECT_SOURCE_DIR}/resources/icons")
set(CTX_GENERATED_DIR "${PROJECT_BINARY_DIR}/packaging")
string(TIMESTAMP CTX_RELEASE_DATE "%Y-%m-%d" UTC)
string(TIMESTAMP CTX_RELEASE_RFC2822 "%a, %d %b %Y %H:%M:%S +0000" UTC)

# Desktop integration is for freedesktop systems only; Windows and macOS get
# theirs from packaging/windows and packaging/macos.
if(NOT UNIX OR APPLE)
  return()
endif()

find_program(CTX_GZIP gzip REQUIRED)

# Writes FILE.gz beside FILE, without a name or timestamp in the header
# (reproducible; lintian's package-contains-timestamped-gzip).
function(ctx_gzip file)
  execute_process(COMMAND ${CTX_GZIP} -9 -n -f -k "${file}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${file} failed: ${rc}")
  endif()
endfunction()

# Man pages, configured with the version and compressed as Debian policy asks.
set(CTX_MAN_PAGES ctxdb)
if(CTX_BUILD_GUI)
  list(APPEND CTX_MAN_PAGES context-studio)
endif()
foreach(page IN LISTS CTX_MAN_PAGES)
  configure_file(${CTX_PACKAGING_DIR}/linux/${page}.1.in ${CTX_GENERATED_DIR}/${page}.1 @ONLY)
  ctx_gzip(${CTX_GENERATED_DIR}/${page}.1)
endforeach()

install(FILES ${CTX_GENERATED_DIR}/ctxdb.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT cli)
install(FILES ${CTX_PACKAGING_DIR}/linux/ctxdb.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME ctxdb COMPONENT cli)

if(CTX_BUILD_GUI)
  install(FILES ${CTX_GENERATED_DIR}/context-studio.1.gz
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT gui)
  install(FILES ${CTX_PACKAGING_DIR}/linux/${CTX_APP_ID}.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT gui)
  configure_file(${CTX_PACKAGING_DIR}/linux/${CTX_APP_ID}.metainfo.xml.in
                 ${CTX_GENERATED_DIR}/${CTX_APP_ID}.metainfo.xml @ONLY)
  install(FILES ${CTX_GENERATED_DIR}/${CTX_APP_ID}.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo COMPONENT gui)
  install(FILES ${CTX_ICON_DIR}/context-studio.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT gui)
  foreach(size 16 32 48 64 128 256 512)
    install(FILES ${CTX_ICON_DIR}/hicolor/${size}x${size}/context-studio.png
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
            COMPONENT gui)
  endforeach()
endif()

# Debian wants a copyright file and a changelog in every package's doc folder;
# RPM and TGZ carry them too (harmless, and the same tree for every generator).
set(CTX_DEB_RELEASE 1)
set(CTX_PACKAGE_CLI context-studio-cli)
set(CTX_PACKAGE_GUI context-studio)
set(CTX_PACKAGE_CONTACT "Context Studio developers <maintainers@contextstudio.org>"
    CACHE STRING "Maintainer of the packages (Debian Maintainer, RPM Packager)")
set(components cli)
if(CTX_BUILD_GUI)
  list(APPEND components gui)
endif()
foreach(component IN LISTS components)
  string(TOUPPER ${component} upper)
  set(CTX_PACKAGE ${CTX_PACKAGE_${upper}})
  set(docdir ${CTX_GENERATED_DIR}/doc/${CTX_PACKAGE})
  configure_file(${CTX_PACKAGING_DIR}/linux/copyright ${docdir}/copyright COPYONLY)
  configure_file(${CTX_PACKAGING_DIR}/linux/changelog.Debian.in ${docdir}/changelog.Debian @ONLY)
  ctx_gzip(${docdir}/changelog.Debian)
  install(FILES ${docdir}/copyright ${docdir}/changelog.Debian.gz
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${CTX_PACKAGE} COMPONENT ${component})
endforeach()
