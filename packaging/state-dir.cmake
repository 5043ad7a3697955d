# CPACK_PRE_BUILD_SCRIPTS of the DEB package (packaging/CMakeLists.txt): adds the
# state directory /var/lib/vtape (0700) to the staging tree before it is packed.
set(dir "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/var/lib/vtape")
file(MAKE_DIRECTORY "${dir}")
file(CHMOD "${dir}" DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
