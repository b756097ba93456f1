/*
 * libpq's types and declarations (Debian: libpq-dev), for the PostgreSQL
 * directory store. Nothing is linked: the library is loaded when the first
 * connection is made (LibPQ.swift), not at every start.
 */
#ifndef CLIBPQ_H
#define CLIBPQ_H

#if __has_include(<postgresql/libpq-fe.h>)
#include <postgresql/libpq-fe.h>
#else
#include <libpq-fe.h>
#endif

#endif
