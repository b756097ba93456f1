/*
 * libpq, PostgreSQL's own C client (Debian: libpq-dev), for the PostgreSQL
 * directory store. pkg-config (libpq.pc) gives the include folder.
 */
#ifndef CLIBPQ_H
#define CLIBPQ_H

#include <libpq-fe.h>

#endif
