/*
 * Growing a mapping in place or by moving its pages (mremap), which Swift's
 * Glibc module does not export: it is a GNU extension. For the huge-page
 * blocks of HugePages.swift.
 */
#ifndef CMEMORYMAP_H
#define CMEMORYMAP_H
#ifdef __linux__
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stddef.h>
#include <sys/mman.h>
/* The mapping at `address` grown to `new_length` bytes, moved if need be;
 * NULL when the system has no room (the mapping is then as it was). */
static inline void *sis_grow_mapping(void *address, size_t old_length, size_t new_length) {
  void *moved = mremap(address, old_length, new_length, MREMAP_MAYMOVE);
  return moved == MAP_FAILED ? NULL : moved;
}
#endif
#endif
