/*
 * A hint that memory will be read soon (GCC and Clang's __builtin_prefetch,
 * which Swift has no spelling for). Planning looks up a million accounts at
 * random: asking for several rows' cache lines at once lets the waits
 * overlap instead of adding up.
 */
#ifndef CPREFETCH_H
#define CPREFETCH_H
static inline void sis_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }
#endif
