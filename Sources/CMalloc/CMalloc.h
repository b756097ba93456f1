/*
 * glibc's malloc tuning (mallopt, M_MMAP_THRESHOLD), which the Glibc module
 * Swift imports does not include: malloc.h is not in its module map.
 */
#ifndef CMALLOC_H
#define CMALLOC_H
#if defined(__linux__)
#include <malloc.h>
#endif
#endif
