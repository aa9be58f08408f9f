# Installers, included at the end of the top-level CMakeLists.txt.
#
#   Linux    DEB and RPM, one package per component, and a TGZ of everything:
#              context-studio-cli  ctxdb only: Qt Core/Sql, libpq, SQLite; no GUI
#                                  libraries (a server install)
#              context-studio      the desktop application; depends on the CLI
#   Windows  NSIS installer (+ ZIP), Qt deployed with windeployqt   (Windows.cmake)
#   macOS    DragNDrop DMG with an app bundle, macdeployqt         (MacOS.cmake)
#
# Build them with `cpack` in the build directory; scripts/package does that for
# Linux and checks the result. The version is project(VERSION), nothing else.
include(${CMAKE_CURRENT_LIST_DIR}/Install.cmake)

set(CPACK_PACKAGE_NAME "context-studio")
set(CPACK_PACKAGE_VENDOR "Context Studio developers")
set(CPACK_PACKAGE_CONTACT "${CTX_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://contextstudio.org/")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Context Studio")
set(CPACK_PACKAGE_CHECKSUM SHA256)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/")
# Directories the packages create get 0755 whatever the builder's umask.
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(CPACK_COMPONENTS_ALL cli)
if(CTX_BUILD_GUI)
  list(APPEND CPACK_COMPONENTS_ALL gui)
endif()

set(CPACK_COMPONENT_CLI_DISPLAY_NAME "ctxdb command-line tool")
set(CPACK_COMPONENT_CLI_DESCRIPTION
    "The ctxdb command inspects, upgrades, migrates and compares the SQLite and\nPostgreSQL databases of shared-context-server from a shell or a script.\nIt needs no GUI library, so it suits servers; the desktop application is\nin the context-studio package.")
set(CPACK_COMPONENT_CLI_REQUIRED ON)
set(CPACK_COMPONENT_GUI_DISPLAY_NAME "Context Studio desktop application")
set(CPACK_COMPONENT_GUI_DESCRIPTION
    "Context Studio is a Qt desktop application to browse the conversations of\nshared-context-server, upgrade legacy schemas, migrate a SQLite database to\nPostgreSQL and compare two databases. The ctxdb command-line tool comes\nwith it (package context-studio-cli).")
set(CPACK_COMPONENT_GUI_DEPENDS cli)

if(WIN32)
  include(${CMAKE_CURRENT_LIST_DIR}/Windows.cmake)
elseif(APPLE)
  include(${CMAKE_CURRENT_LIST_DIR}/MacOS.cmake)
else()
  include(${CMAKE_CURRENT_LIST_DIR}/Linux.cmake)
endif()

include(CPack)
