/*
 * The kind of file system an open file is on (statfs's f_type, from
 * linux/magic.h), which Swift's Glibc module does not export. The snapshot
 * cache is mapped only from a local file system (see FileMapping.swift).
 */
#ifndef CFILESYSTEM_H
#define CFILESYSTEM_H
#ifdef __linux__
#include <sys/vfs.h>
/* The file system type of `descriptor`, or 0 when it cannot be asked. */
static inline unsigned long sis_file_system_type(int descriptor) {
  struct statfs info;
  return fstatfs(descriptor, &info) == 0 ? (unsigned long)info.f_type : 0;
}
#else
static inline unsigned long sis_file_system_type(int descriptor) { (void)descriptor; return 0; }
#endif
#endif
