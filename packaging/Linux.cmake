# DEB, RPM and TGZ (included by CPackConfig.cmake on Linux).
#
# Library dependencies are found from the binaries (dpkg-shlibdeps, rpm's
# autoreq). Listed by hand is what they cannot see: Qt loads the SQL drivers as
# plugins at run time; and the libraries the targets link but that the linker
# drops while no code calls them yet (--as-needed): libpq (the core's COPY path),
# QScintilla, QtKeychain and Qt Charts (the UI). The package names are Debian 12's.
set(CPACK_GENERATOR DEB RPM TGZ)
set(CPACK_STRIP_FILES ON)

# --- DEB: context-studio-cli_<version>-1_<arch>.deb, context-studio_<...>.deb
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${CTX_DEB_RELEASE})
set(CPACK_DEBIAN_PACKAGE_SOURCE context-studio)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON) # context-studio Depends context-studio-cli (= version)
set(CPACK_DEBIAN_CLI_PACKAGE_NAME ${CTX_PACKAGE_CLI})
set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS "libpq5, libqt6sql6-sqlite, libqt6sql6-psql")
set(CPACK_DEBIAN_GUI_PACKAGE_NAME ${CTX_PACKAGE_GUI})
set(CPACK_DEBIAN_GUI_PACKAGE_DEPENDS
    "libqt6charts6, libqscintilla2-qt6-15, libqt6keychain1")
# Desktop theme integration, Wayland and a Secret Service keyring are optional:
# without a keyring the application asks for passwords each time. Agents write emoji
# and CJK text: without these fonts it shows as boxes.
set(CPACK_DEBIAN_GUI_PACKAGE_RECOMMENDS
    "qt6-qpa-plugins, qt6-wayland, gnome-keyring | kwalletmanager, fonts-noto-color-emoji, fonts-noto-cjk")

# --- RPM: names as in Fedora; override with -DCTX_RPM_*_REQUIRES for other distributions.
set(CTX_RPM_CLI_REQUIRES "libpq, qt6-qtbase, qt6-qtbase-postgresql"
    CACHE STRING "RPM Requires of the CLI package beyond the libraries (Qt SQL drivers)")
set(CTX_RPM_GUI_REQUIRES "qt6-qtbase-gui, qt6-qtcharts, qscintilla-qt6, qtkeychain-qt6"
    CACHE STRING "RPM Requires of the GUI package beyond the libraries (Qt platform plugins)")
set(CPACK_RPM_COMPONENT_INSTALL ON)
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_RELEASE ${CTX_DEB_RELEASE})
set(CPACK_RPM_PACKAGE_LICENSE "LicenseRef-Context-Studio")
set(CPACK_RPM_PACKAGE_GROUP "Applications/Databases")
set(CPACK_RPM_PACKAGE_URL "${CPACK_PACKAGE_HOMEPAGE_URL}")
set(CPACK_RPM_PACKAGE_AUTOREQ ON)
set(CPACK_RPM_CLI_PACKAGE_NAME ${CTX_PACKAGE_CLI})
set(CPACK_RPM_CLI_PACKAGE_REQUIRES "${CTX_RPM_CLI_REQUIRES}")
set(CPACK_RPM_GUI_PACKAGE_NAME ${CTX_PACKAGE_GUI})
set(CPACK_RPM_GUI_PACKAGE_SUGGESTS "google-noto-emoji-color-fonts, google-noto-sans-cjk-fonts")
set(CPACK_RPM_GUI_PACKAGE_REQUIRES
    "${CTX_PACKAGE_CLI} = ${PROJECT_VERSION}-${CTX_DEB_RELEASE}, ${CTX_RPM_GUI_REQUIRES}")
# Directories owned by the distribution's filesystem packages, not by ours.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/share/man /usr/share/man/man1 /usr/share/applications /usr/share/metainfo
    /usr/share/icons /usr/share/icons/hicolor /usr/share/bash-completion
    /usr/share/bash-completion/completions)
foreach(size 16 32 48 64 128 256 512)
  list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
       /usr/share/icons/hicolor/${size}x${size} /usr/share/icons/hicolor/${size}x${size}/apps)
endforeach()
list(APPEND CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
     /usr/share/icons/hicolor/scalable /usr/share/icons/hicolor/scalable/apps)

# --- TGZ: one archive with both components, for unpacking under a prefix.
set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)
