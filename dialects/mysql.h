/* The MySQL and MariaDB dialect: what dialects/mysql.c and
 * dialects/mysql-reflect.c share. Private to dialects/. */
#ifndef MIG_DIALECT_MYSQL_H
#define MIG_DIALECT_MYSQL_H

#include "dialect.h"

/* The number of statements my_reflect sends, whatever the size of the
 * database: tables, columns, indexes, foreign keys, checks and other objects
 * (triggers, routines, events, partitions), each read from information_schema
 * in one bulk query. */
#define MY_REFLECT_QUERIES 6

/* Reflect the current database (DATABASE()) of the connection from
 * information_schema (the reflect slot of the MySQL impl). */
int my_reflect(struct mig_db *db, const struct mig_reflect_opts *opts, struct mig_schema **out);

#endif
